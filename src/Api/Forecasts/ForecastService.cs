using System.Globalization;
using System.Text.Json;
using Forecasting.Api.Hosting;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forecasting.Api.Forecasts;

/// <summary>
/// Answers forecast requests. Loaded models (immutable once published) and dataset contents are cached
/// in memory, so a request costs the model's arithmetic and not a database read; dataset endpoints call
/// <see cref="ForgetDataset"/> when data changes.
/// </summary>
public sealed class ForecastService(IServiceScopeFactory scopes, ModelKindRegistry kinds, Microsoft.Extensions.Options.IOptions<Limits> limits)
{
    private static readonly double[] DefaultLevels = [80, 95];
    private readonly MemoryCache _models = new(new MemoryCacheOptions { SizeLimit = 256 });
    private readonly MemoryCache _datasets = new(new MemoryCacheOptions { SizeLimit = 32 });

    private sealed record LoadedModel(IFittedModel Model, TrainingRunSpec Spec);

    public void Forget(Guid modelId) => _models.Remove(modelId);

    public void ForgetDataset(Guid datasetId) => _datasets.Remove(datasetId);

    public async Task<Results<Ok<ForecastResponse>, ProblemHttpResult, ValidationProblem>> ForecastAsync(
        Guid modelId, ForecastRequest request, CancellationToken cancellationToken)
    {
        var loaded = await LoadModelAsync(modelId, cancellationToken);
        if (loaded is null) return Problems.NotFound("Model", modelId);
        var frame = await LoadDatasetAsync(loaded.Spec.DatasetId, cancellationToken);
        if (frame is null) return Problems.Conflict("Dataset deleted", $"The model's dataset '{loaded.Spec.DatasetId}' no longer exists, and with it the column definitions forecasts need; retrain on a current dataset.");

        var errors = new List<FieldError>();
        var spec = loaded.Spec;
        var horizon = request.Horizon ?? spec.Horizon;
        var cap = limits.Value;
        if (horizon < 1) errors.Add(new FieldError("horizon", "horizon must be at least 1."));
        else if (horizon > cap.MaxHorizon) errors.Add(new FieldError("horizon", $"horizon {horizon} is above the cap of {cap.MaxHorizon} steps (Limits:MaxHorizon)."));
        else if (horizon > spec.Horizon && spec.Strategy is ForecastStrategy.Direct or ForecastStrategy.Seq2seq && !IsStatistical(loaded.Model))
            errors.Add(new FieldError("horizon", $"This model was trained to forecast {spec.Horizon} steps at once ({spec.Strategy.ToWire()}); ask for at most {spec.Horizon}."));
        var levels = request.Levels ?? DefaultLevels;
        errors.AddRange(ForecastLevels.Check(levels, cap.MaxLevels));
        var samples = request.Samples ?? 100;
        if (samples is < 1 or > 10_000) errors.Add(new FieldError("samples", "samples must be between 1 and 10000."));

        var candidates = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series.ToList();
        var series = request.Series is null
            ? candidates.Count == 1 ? candidates[0] : null
            : candidates.FirstOrDefault(s => s.Id == request.Series);
        if (series is null)
            errors.Add(new FieldError("series", request.Series is null
                ? $"The model was trained on {candidates.Count} series; name one: {string.Join(", ", candidates.Take(10).Select(s => s.Id))}{(candidates.Count > 10 ? ", …" : "")}."
                : $"The model was not trained on series '{request.Series}'."));
        if (errors.Count > 0) return Problems.Invalid(errors, "The forecast request is invalid");

        var columns = spec.Targets.Concat(spec.EffectiveInputs).Concat(spec.KnownFuture ?? []).Distinct().ToList();
        var history = request.Observations is { Count: > 0 }
            ? ObservationRows.Splice(series!, frame, request.Observations, columns, errors)
            : series!;
        if (errors.Count > 0) return Problems.Invalid(errors, "The observations are invalid");

        var end = history.Length - 1;
        if (request.Origin is not null)
        {
            if (!frame.Frequency.TryParsePoint(request.Origin, out var origin))
                return Problems.Invalid([new FieldError("origin", $"'{request.Origin}' is not a {(frame.Frequency == Frequency.Steps ? "step number" : "date")}.")]);
            end = history.IndexOf(origin, frame.Frequency);
            if (end < 0)
                return Problems.Invalid([new FieldError("origin", $"The origin must lie within the data, {frame.Frequency.Format(history.Start)} to {frame.Frequency.Format(history.End(frame.Frequency))}.")]);
        }
        if (horizon > cap.MaxHorizonToData * (end + 1))
            return Problems.Invalid([new FieldError("horizon", $"horizon {horizon} is longer than the history allows: at most {cap.MaxHorizonToData:0.##} × {end + 1} observations up to the origin (Limits:MaxHorizonToData).")]);
        var prefix = Truncate(history, end + 1, columns);
        Series? future = null;
        if (spec.KnownFuture is { Count: > 0 } known)
        {
            future = request.Future is { Count: > 0 }
                ? ObservationRows.Future(prefix, frame, request.Future, known, horizon, errors)
                : StoredFuture(history, frame.Frequency, end, horizon, known, errors);
            if (errors.Count > 0) return Problems.Invalid(errors, "Known-future covariates are missing");
        }

        var query = new ForecastQuery(prefix, frame.Frequency, horizon, levels, samples, future);
        var forecasts = loaded.Model.Forecast(query, cancellationToken);
        var originPoint = frame.Frequency.Add(prefix.Start, prefix.Length - 1);
        var points = Enumerable.Range(1, horizon).Select(k => new ForecastPoint(
            Timestamp(frame.Frequency, frame.Frequency.Add(originPoint, k)),
            forecasts.ToDictionary(f => f.Target, f => new ForecastValue(
                f.Mean[k - 1],
                f.Lower.ToDictionary(l => LevelKey(l.Key), l => l.Value[k - 1]),
                f.Upper.ToDictionary(u => LevelKey(u.Key), u => u.Value[k - 1]))))).ToList();
        return TypedResults.Ok(new ForecastResponse(modelId, prefix.Id, Timestamp(frame.Frequency, originPoint), horizon, points));
    }

    private static bool IsStatistical(IFittedModel model) => model.StateFormat.EndsWith("-json-v1", StringComparison.Ordinal);

    /// <summary>Known-future values already in the stored data after the origin (forecasting into the past).</summary>
    private static Series? StoredFuture(Series history, Frequency frequency, int end, int horizon, IReadOnlyList<string> known, List<FieldError> errors)
    {
        if (end + horizon >= history.Length)
        {
            errors.Add(new FieldError("future", $"This model uses known-future covariates ({string.Join(", ", known)}); post their values for the {horizon} forecast steps as 'future' rows."));
            return null;
        }
        return new Series(history.Id, frequency.Add(history.Start, end + 1), horizon,
            known.ToDictionary(c => c, c => history[c].AsSpan(end + 1, horizon).ToArray()));
    }

    private static Series Truncate(Series series, int length, IReadOnlyList<string> columns) =>
        length == series.Length ? series : new Series(series.Id, series.Start, length,
            columns.ToDictionary(c => c, c => series[c].AsSpan(0, length).ToArray()));

    internal static object Timestamp(Frequency frequency, long ordinal) => frequency == Frequency.Steps ? ordinal : frequency.Format(ordinal);

    private static string LevelKey(double level) => level.ToString("0.##", CultureInfo.InvariantCulture);

    private async Task<LoadedModel?> LoadModelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_models.TryGetValue(id, out LoadedModel? cached)) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var entity = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (entity is null) return null;
        var spec = ApiJson.Deserialize<TrainingRunSpec>(entity.SpecJson);
        var loaded = new LoadedModel(kinds.Get(entity.Kind).Load(entity.State, spec), spec);
        return _models.Set(id, loaded, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
    }

    private async Task<DatasetFrame?> LoadDatasetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_datasets.TryGetValue(id, out DatasetFrame? cached)) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var frame = await scope.ServiceProvider.GetRequiredService<DatasetStore>().LoadAsync(id, null, null, cancellationToken);
        if (frame is null) return null;
        return _datasets.Set(id, frame, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
    }
}
