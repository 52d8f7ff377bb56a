using System.Globalization;
using System.Text.Json;
using Forecasting.Api.Http;
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

    /// <summary>A validated forecast request: the series to answer and how.</summary>
    private sealed record Plan(LoadedModel Loaded, DatasetFrame Frame, IReadOnlyList<Series> Series, bool Single, int Horizon,
        IReadOnlyList<double> Levels, IReadOnlyList<double> Quantiles, int Samples, IntervalMethod? Method, ForecastRequest Request)
    {
        /// <summary>The levels answered as lower/upper bounds: those asked for (quantiles alone answer no levels).</summary>
        public IReadOnlyList<double> Shown { get; } = ShownLevels(Request);

        /// <summary>The answer's keys for <see cref="Shown"/> ("80") and the quantiles ("0.1"), formatted once per request rather than per point.</summary>
        public IReadOnlyList<(double Level, string Key)> ShownKeys { get; } = ShownLevels(Request).Select(l => (l, LevelKey(l))).ToList();
        public IReadOnlyList<(double Quantile, string Key)> QuantileKeys { get; } = Quantiles.Select(q => (q, QuantileKey(q))).ToList();

        /// <summary>The columns a series' history needs: targets, inputs and known-future covariates.</summary>
        public IReadOnlyList<string> Columns { get; } = Loaded.Spec.Targets.Concat(Loaded.Spec.EffectiveInputs).Concat(Loaded.Spec.KnownFuture ?? []).Distinct().ToList();

        private static IReadOnlyList<double> ShownLevels(ForecastRequest request) =>
            request.Levels is { } asked ? asked.Distinct().ToList() : request.Quantiles is null ? DefaultLevels : [];

        /// <summary>The method the answer states: the requested one, else conformal where the model is calibrated.</summary>
        public string MethodName => (Method ?? (Loaded.Model.Calibration is null ? IntervalMethod.Model : IntervalMethod.Conformal)).ToWire();
    }

    /// <summary>
    /// Answers a forecast request as JSON (one forecast, or a list when several series are asked for) or, with
    /// <paramref name="csv"/>, as a long table streamed series by series.
    /// </summary>
    public async Task<IResult> ForecastAsync(Guid modelId, ForecastRequest request, bool csv, CancellationToken cancellationToken)
    {
        var loaded = await LoadModelAsync(modelId, cancellationToken);
        if (loaded is null) return Problems.NotFound("Model", modelId);
        var frame = await LoadDatasetAsync(loaded.Spec.DatasetId, cancellationToken);
        if (frame is null) return Problems.Conflict("Dataset deleted", $"The model's dataset '{loaded.Spec.DatasetId}' no longer exists, and with it the column definitions forecasts need; retrain on a current dataset.");
        var errors = new List<FieldError>();
        var plan = Validate(loaded, frame, request, errors);
        if (plan is null) return Problems.Invalid(errors, "The forecast request is invalid");

        if (csv) return new ForecastCsvResult(plan.Series.Select(s => Answer(plan, s, cancellationToken)), plan.Shown, plan.Quantiles);
        if (plan.Single)
        {
            try
            {
                var one = Forecast(plan, plan.Series[0], cancellationToken);
                return TypedResults.Ok(new ForecastResponse(modelId, one.Series, one.Origin!, plan.Horizon, plan.MethodName, one.Points));
            }
            catch (RequestErrorsException e)
            {
                return Problems.Invalid(e.Errors, "The forecast request is invalid");
            }
        }
        return new ForecastJsonResult(new ForecastBatchResponse(modelId, plan.Horizon, plan.MethodName, plan.Series.Select(s => Answer(plan, s, cancellationToken))));
    }

    private Plan? Validate(LoadedModel loaded, DatasetFrame frame, ForecastRequest request, List<FieldError> errors)
    {
        var spec = loaded.Spec;
        var horizon = request.Horizon ?? spec.Horizon;
        var cap = limits.Value;
        if (horizon < 1) errors.Add(new FieldError("horizon", "horizon must be at least 1."));
        else if (horizon > cap.MaxHorizon) errors.Add(new FieldError("horizon", $"horizon {horizon} is above the cap of {cap.MaxHorizon} steps (Limits:MaxHorizon)."));
        else if (horizon > spec.Horizon && spec.Strategy is ForecastStrategy.Direct or ForecastStrategy.Seq2seq && kinds.Get(loaded.Model.Kind).Traits.Family != ModelFamily.Statistical)
            errors.Add(new FieldError("horizon", $"This model was trained to forecast {spec.Horizon} steps at once ({spec.Strategy.ToWire()}); ask for at most {spec.Horizon}."));
        var levels = (request.Levels ?? (request.Quantiles is null ? DefaultLevels : [])).ToList();
        errors.AddRange(ForecastLevels.Check(levels, cap.MaxLevels));
        var quantiles = request.Quantiles ?? [];
        for (var i = 0; i < quantiles.Count; i++)
            if (!(quantiles[i] > 0 && quantiles[i] < 1)) errors.Add(new FieldError($"quantiles[{i}]", "A quantile is strictly between 0 and 1, e.g. 0.1."));
            else if (quantiles[i] != 0.5) levels.Add(QuantileLevel(quantiles[i]));
        var samples = request.Samples ?? 100;
        if (samples is < 1 or > 10_000) errors.Add(new FieldError("samples", "samples must be between 1 and 10000."));
        IntervalMethod? method = null;
        if (request.Method is not null)
        {
            if (Enum.TryParse<IntervalMethod>(request.Method, ignoreCase: true, out var parsed) && request.Method.All(char.IsLetter)) method = parsed;
            else errors.Add(new FieldError("method", $"'{request.Method}' is not an interval method; use 'conformal' or 'model'."));
        }
        if (method == IntervalMethod.Conformal && loaded.Model.Calibration is null)
            errors.Add(new FieldError("method", "This model was trained without a validation period, so conformal intervals have no errors to calibrate on; use 'model', or retrain with a validation period (split.validFrom) or with intervals.calibration \"backtest\" (calibrated on refits at rolling origins)."));

        var candidates = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series.ToList();
        var byId = candidates.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var selected = new List<Series>();
        var single = false;
        switch (request.Series)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                selected.AddRange(candidates);
                single = candidates.Count == 1;
                break;
            case { ValueKind: JsonValueKind.String } one:
                single = true;
                if (byId.TryGetValue(one.GetString()!, out var found)) selected.Add(found);
                else errors.Add(new FieldError("series", $"The model was not trained on series '{one.GetString()}'."));
                break;
            case { ValueKind: JsonValueKind.Array } list:
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) errors.Add(new FieldError($"series[{i}]", "Series ids are strings."));
                    else if (byId.TryGetValue(item.GetString()!, out var s)) selected.Add(s);
                    else if (errors.Count < 20) errors.Add(new FieldError($"series[{i}]", $"The model was not trained on series '{item.GetString()}'."));
                    i++;
                }
                if (i == 0) errors.Add(new FieldError("series", "Name at least one series, or leave series out for all of them."));
                break;
            default:
                errors.Add(new FieldError("series", "series is a series id or a list of ids."));
                break;
        }
        if (request.Observations is { Count: > 0 } && selected.Count > 1)
            errors.Add(new FieldError("observations", "Observations extend one series; name it in 'series'."));
        if (request.Future is { Count: > 0 } && selected.Count > 1)
            errors.Add(new FieldError("future", "Future rows belong to one series; name it in 'series'."));
        if (request.Origin is not null && !frame.Frequency.TryParsePoint(request.Origin, out _))
            errors.Add(new FieldError("origin", $"'{request.Origin}' is not a {(frame.Frequency == Frequency.Steps ? "step number" : "date")}."));
        return errors.Count > 0 ? null : new Plan(loaded, frame, selected, single, horizon, levels.Distinct().ToList(), quantiles, samples, method, request);
    }

    /// <summary>The central interval whose bound a quantile is: 0.1 and 0.9 → 80.</summary>
    private static double QuantileLevel(double quantile) => Math.Round(100 * Math.Abs(1 - 2 * quantile), 10);

    /// <summary>
    /// One series' forecast in a batch: a series that cannot be answered (too short before the origin …) gets its
    /// reason instead of points, and the others are answered.
    /// </summary>
    private SeriesForecast Answer(Plan plan, Series series, CancellationToken cancellationToken)
    {
        try
        {
            return Forecast(plan, series, cancellationToken);
        }
        catch (ForecastInputException e)
        {
            return new SeriesForecast(series.Id, null, [], e.Message);
        }
        catch (RequestErrorsException e)
        {
            return new SeriesForecast(series.Id, null, [], string.Join(" ", e.Errors.Select(x => $"{x.Field}: {x.Message}")));
        }
    }

    /// <summary>Field errors found while answering one series (posted rows, origin outside the data).</summary>
    private sealed class RequestErrorsException(IReadOnlyList<FieldError> errors) : Exception("The forecast request is invalid")
    {
        public IReadOnlyList<FieldError> Errors { get; } = errors;
    }

    private SeriesForecast Forecast(Plan plan, Series series, CancellationToken cancellationToken)
    {
        var cap = limits.Value;
        var (spec, frame, request, horizon) = (plan.Loaded.Spec, plan.Frame, plan.Request, plan.Horizon);
        var errors = new List<FieldError>();
        var columns = plan.Columns;
        var history = request.Observations is { Count: > 0 }
            ? ObservationRows.Splice(series, frame, request.Observations, columns, errors)
            : series;
        if (errors.Count > 0) throw new RequestErrorsException(errors);

        var end = history.Length - 1;
        if (request.Origin is not null)
        {
            frame.Frequency.TryParsePoint(request.Origin, out var origin);
            end = history.IndexOf(origin, frame.Frequency);
            if (end < 0)
                throw new RequestErrorsException([new FieldError("origin", $"The origin must lie within the data, {frame.Frequency.Format(history.Start)} to {frame.Frequency.Format(history.End(frame.Frequency))}.")]);
        }
        if (horizon > cap.MaxHorizonToData * (end + 1))
            throw new RequestErrorsException([new FieldError("horizon", $"horizon {horizon} is longer than the history allows: at most {cap.MaxHorizonToData:0.##} × {end + 1} observations up to the origin (Limits:MaxHorizonToData).")]);
        var prefix = Truncate(history, end + 1, columns);
        Series? future = null;
        if (spec.KnownFuture is { Count: > 0 } known)
        {
            future = request.Future is { Count: > 0 }
                ? ObservationRows.Future(prefix, frame, request.Future, known, horizon, errors)
                : StoredFuture(history, frame.Frequency, end, horizon, known, errors);
            if (errors.Count > 0) throw new RequestErrorsException(errors);
        }

        var query = new ForecastQuery(prefix, frame.Frequency, horizon, plan.Levels, plan.Samples, future, plan.Method);
        var forecasts = plan.Loaded.Model.Forecast(query, cancellationToken);
        var originPoint = frame.Frequency.Add(prefix.Start, prefix.Length - 1);
        var points = new ForecastPoint[horizon];
        for (var k = 1; k <= horizon; k++)
        {
            var values = new Dictionary<string, ForecastValue>(forecasts.Count, StringComparer.Ordinal);
            foreach (var f in forecasts)
            {
                var lower = new Dictionary<string, double>(plan.ShownKeys.Count, StringComparer.Ordinal);
                var upper = new Dictionary<string, double>(plan.ShownKeys.Count, StringComparer.Ordinal);
                foreach (var (level, key) in plan.ShownKeys)
                {
                    lower[key] = f.Lower[level][k - 1];
                    upper[key] = f.Upper[level][k - 1];
                }
                Dictionary<string, double>? quantiles = null;
                if (plan.QuantileKeys.Count > 0)
                {
                    quantiles = new Dictionary<string, double>(plan.QuantileKeys.Count, StringComparer.Ordinal);
                    foreach (var (quantile, key) in plan.QuantileKeys) quantiles[key] = QuantileValue(f, quantile, k - 1);
                }
                values[f.Target] = new ForecastValue(f.Mean[k - 1], lower, upper, quantiles);
            }
            points[k - 1] = new ForecastPoint(Timestamp(frame.Frequency, frame.Frequency.Add(originPoint, k)), values);
        }
        return new SeriesForecast(prefix.Id, Timestamp(frame.Frequency, originPoint), points);
    }

    internal static double QuantileValue(TargetForecast forecast, double quantile, int step) => quantile switch
    {
        0.5 => forecast.Mean[step],
        < 0.5 => forecast.Lower[QuantileLevel(quantile)][step],
        _ => forecast.Upper[QuantileLevel(quantile)][step],
    };

    internal static string QuantileKey(double quantile) => quantile.ToString("0.###", CultureInfo.InvariantCulture);

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

    internal static string LevelKey(double level) => ForecastErrorAccumulator.LevelKey(level);

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
