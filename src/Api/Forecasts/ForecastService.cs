using System.Globalization;
using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Training.Covariates;
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

    /// <summary>A stored model loaded for forecasting, with the training request it was fitted from.</summary>
    internal sealed record LoadedModel(IFittedModel Model, TrainingRunSpec Spec);

    public void Forget(Guid modelId) => _models.Remove(modelId);

    public void ForgetDataset(Guid datasetId) => _datasets.Remove(datasetId);

    /// <summary>A validated forecast request: the series to answer and how.</summary>
    private sealed record Plan(LoadedModel Loaded, DatasetFrame Frame, IReadOnlyList<Series> Series, bool Single, int Horizon,
        IReadOnlyList<double> Levels, IReadOnlyList<double> Quantiles, int Samples, IntervalMethod? Method, ForecastRequest Request,
        IReadOnlyDictionary<string, PostedFuture> PostedFuture)
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

        if (request.Explain == true && !HasRegression(loaded))
            errors.Add(new FieldError("explain", $"This '{loaded.Model.Kind}' model has no regression part to explain: contributions come from models with regressors " +
                "(sarima, auto_sarima or mstl trained with knownFuture, calendar or holidays, and without a transform, under which contributions would not add up on the data's scale)."));
        var (selected, single) = SeriesSelection.Select(request.Series, frame, spec, errors);
        if (request.Observations is { Count: > 0 } && selected.Count > 1)
            errors.Add(new FieldError("observations", "Observations extend one series; name it in 'series'."));
        if (request.Origin is not null && !frame.Frequency.TryParsePoint(request.Origin, out _))
            errors.Add(new FieldError("origin", $"'{request.Origin}' is not a {(frame.Frequency == Frequency.Steps ? "step number" : "date")}."));
        IReadOnlyDictionary<string, PostedFuture> posted = NoPostedFuture;
        if (request.Future is { Count: > 0 } rows)
        {
            if (spec.KnownFuture is not { Count: > 0 } known)
                errors.Add(new FieldError("future", "This model uses no known-future covariates (it was trained without knownFuture; calendar features are computed from the timestamps); leave 'future' out."));
            else if (errors.Count == 0)
                posted = ObservationRows.ParseFuture(frame, rows, known, selected.Count == 1 ? selected[0].Id : null,
                    selected.Select(s => s.Id).ToHashSet(StringComparer.Ordinal), cap.MaxHorizon, errors) ?? posted;
        }
        if (errors.Count > 0) return null;
        var plan = new Plan(loaded, frame, selected, single, horizon, levels.Distinct().ToList(), quantiles, samples, method, request, posted);
        // Every series needs its known-future values before any is answered: a batch (or a streamed CSV) is refused as a
        // whole rather than answered with the same missing-rows error on every series.
        if (spec.EffectiveKnownFuture is { Count: > 0 } && request.Observations is not { Count: > 0 })
            foreach (var series in selected)
            {
                if (errors.Count >= 20) break;
                if (OriginIndex(plan, series) is { } end) KnownFuture(plan, series, end, errors);
            }
        return errors.Count > 0 ? null : plan;
    }

    /// <summary>Whether the model's forecasts are a regression part plus errors, on the data's scale: a statistical kind that reads known-future columns, trained with some and no transform.</summary>
    private bool HasRegression(LoadedModel loaded) =>
        kinds.Get(loaded.Model.Kind).Traits is { Family: ModelFamily.Statistical, KnownFuture: true }
        && loaded.Spec.EffectiveKnownFuture.Count > 0 && loaded.Spec.Transform is null;

    private static readonly IReadOnlyDictionary<string, PostedFuture> NoPostedFuture = new Dictionary<string, PostedFuture>();

    /// <summary>The index of the forecast origin in a series' history: the request's origin, else its last step; null when the origin lies outside it.</summary>
    private static int? OriginIndex(Plan plan, Series history)
    {
        if (plan.Request.Origin is null) return history.Length - 1;
        plan.Frame.Frequency.TryParsePoint(plan.Request.Origin, out var origin);
        var end = history.IndexOf(origin, plan.Frame.Frequency);
        return end < 0 ? null : end;
    }

    /// <summary>
    /// The known-future covariates of the <see cref="Plan.Horizon"/> steps after the origin: the rows posted for the series,
    /// else the stored values after the origin, continued by the dataset's known-future rows (stored with empty targets).
    /// </summary>
    private static Series? KnownFuture(Plan plan, Series history, int end, List<FieldError> errors)
    {
        var (frequency, horizon, spec) = (plan.Frame.Frequency, plan.Horizon, plan.Loaded.Spec);
        var known = spec.KnownFuture ?? [];
        var first = frequency.Add(history.Start, end + 1);
        // Calendar and holiday columns are computed from the future timestamps, never posted nor stored.
        var calendar = GeneratedColumns.AddTo(new Series(history.Id, first, horizon, new Dictionary<string, double[]>()), frequency, spec.Calendar, spec.Holidays).Columns;
        if (plan.PostedFuture.TryGetValue(history.Id, out var posted))
        {
            if (posted.Start != first)
                errors.Add(new FieldError($"future[{posted.FirstRow}].timestamp", $"The future rows of series '{history.Id}' must start the step after the origin, at {frequency.Format(first)}."));
            else if (posted.Length < horizon)
                errors.Add(new FieldError("future", $"Series '{history.Id}': {horizon} future rows are needed (one per forecast step); {posted.Length} were given."));
            else return new Series(history.Id, first, horizon, known.ToDictionary(c => c, c => posted.Values[c][..horizon]).Concat(calendar).ToDictionary());
            return null;
        }
        var stored = plan.Frame.FutureOf(history.Id);
        var values = new Dictionary<string, double[]>(known.Count);
        var available = horizon;
        string? missing = null;
        foreach (var column in known)
        {
            var steps = values[column] = new double[horizon];
            for (var k = 0; k < horizon && k < available; k++)
            {
                var index = end + 1 + k;
                if (index < history.Length) steps[k] = history[column][index];
                else if (stored is not null && stored.Columns.TryGetValue(column, out var ahead)
                         && frequency.StepsBetween(stored.Start, frequency.Add(history.Start, index)) is var offset and >= 0 && offset < stored.Length)
                    steps[k] = ahead[offset];
                else (available, missing) = (k, column);
            }
        }
        if (available == horizon) return new Series(history.Id, first, horizon, values.Concat(calendar).ToDictionary());
        errors.Add(new FieldError("future", $"This model uses known-future covariates ({string.Join(", ", known)}); series '{history.Id}' has them for {available} of the {horizon} steps " +
            $"after its origin {frequency.Format(frequency.Add(history.Start, end))} (stored data and the dataset's future rows): the first missing is '{missing}' at " +
            $"{frequency.Format(frequency.Add(first, available))}. Post them as 'future' rows naming the series in '{ObservationRows.SeriesKey}', " +
            "or store them in the dataset as future rows (targets empty)."));
        return null;
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

        if (OriginIndex(plan, history) is not { } end)
            throw new RequestErrorsException([new FieldError("origin", $"The origin must lie within the data, {frame.Frequency.Format(history.Start)} to {frame.Frequency.Format(history.End(frame.Frequency))}.")]);
        if (horizon > cap.MaxHorizonToData * (end + 1))
            throw new RequestErrorsException([new FieldError("horizon", $"horizon {horizon} is longer than the history allows: at most {cap.MaxHorizonToData:0.##} × {end + 1} observations up to the origin (Limits:MaxHorizonToData).")]);
        var prefix = GeneratedColumns.AddTo(Truncate(history, end + 1, columns), frame.Frequency, spec.Calendar, spec.Holidays);
        Series? future = null;
        if (spec.EffectiveKnownFuture is { Count: > 0 })
        {
            future = KnownFuture(plan, history, end, errors);
            if (errors.Count > 0) throw new RequestErrorsException(errors);
        }

        var query = new ForecastQuery(prefix, frame.Frequency, horizon, plan.Levels, plan.Samples, future, plan.Method, request.Explain == true);
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
                var contributions = f.Contributions?.ToDictionary(c => c.Key, c => c.Value[k - 1], StringComparer.Ordinal);
                values[f.Target] = new ForecastValue(f.Mean[k - 1], lower, upper, quantiles, contributions);
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

    private static Series Truncate(Series series, int length, IReadOnlyList<string> columns) =>
        length == series.Length ? series : new Series(series.Id, series.Start, length,
            columns.ToDictionary(c => c, c => series[c].AsSpan(0, length).ToArray()));

    internal static object Timestamp(Frequency frequency, long ordinal) => frequency == Frequency.Steps ? ordinal : frequency.Format(ordinal);

    internal static string LevelKey(double level) => ForecastErrorAccumulator.LevelKey(level);

    internal async Task<LoadedModel?> LoadModelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_models.TryGetValue(id, out LoadedModel? cached)) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var entity = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (entity is null) return null;
        var spec = ApiJson.Deserialize<TrainingRunSpec>(entity.SpecJson);
        var loaded = new LoadedModel(BoundedModel.Wrap(kinds.Get(entity.Kind).Load(entity.State, spec), spec.Bounds), spec);
        return _models.Set(id, loaded, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
    }

    internal async Task<DatasetFrame?> LoadDatasetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_datasets.TryGetValue(id, out DatasetFrame? cached)) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var frame = await scope.ServiceProvider.GetRequiredService<DatasetStore>().LoadAsync(id, null, null, cancellationToken);
        if (frame is null) return null;
        return _datasets.Set(id, frame, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
    }
}
