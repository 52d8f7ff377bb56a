using System.Globalization;
using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Api.Ledger;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
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

    /// <summary>Series answered together in a fleet's answer: one read of stored fits, one batch through a network.</summary>
    private const int SeriesPerRead = 500;

    /// <summary>
    /// A stored model loaded for forecasting, with the training request it was fitted from. A model stored per series
    /// (<see cref="PerSeries"/>) is loaded without its fits, which <see cref="ForSeriesAsync"/> reads for the series asked for.
    /// </summary>
    internal sealed record LoadedModel(IFittedModel Model, TrainingRunSpec Spec, Guid Id, ISeriesStateKind? PerSeries = null, IFittedModel? Shared = null);

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
    /// <paramref name="csv"/>, as a long table streamed series by series. A forecast served through a forecaster
    /// (<paramref name="forecasterId"/>) or asked with record: true is recorded in the ledger before it is answered.
    /// </summary>
    public async Task<IResult> ForecastAsync(Guid modelId, ForecastRequest request, bool csv, Guid? forecasterId, CancellationToken cancellationToken)
    {
        if (forecasterId is not null && request.Record == false)
            return Problems.Invalid([new FieldError("record", "Forecasts through a forecaster are always recorded; leave record out.")], "The forecast request is invalid");
        var loaded = await LoadModelAsync(modelId, cancellationToken);
        if (loaded is null) return Problems.NotFound("Model", modelId);
        var frame = await LoadDatasetAsync(loaded.Spec.DatasetId, cancellationToken);
        if (frame is null) return Problems.Conflict("Dataset deleted", $"The model's dataset '{loaded.Spec.DatasetId}' no longer exists, and with it the column definitions forecasts need; retrain on a current dataset.");
        var errors = new List<FieldError>();
        var plan = Validate(loaded, frame, request, errors);
        if (plan is null) return Problems.Invalid(errors, "The forecast request is invalid");
        if (forecasterId is not null || request.Record == true) return await RecordedAsync(modelId, forecasterId, plan, csv, cancellationToken);

        if (csv) return new ForecastCsvResult(AnswerAll(plan, cancellationToken), plan.Shown, plan.Quantiles);
        if (plan.Single)
        {
            try
            {
                var one = Forecast(plan with { Loaded = await ForSeriesAsync(loaded, [plan.Series[0].Id], cancellationToken) }, plan.Series[0], cancellationToken);
                return TypedResults.Ok(new ForecastResponse(modelId, one.Series, one.Origin!, plan.Horizon, plan.MethodName, one.Points));
            }
            catch (RequestErrorsException e)
            {
                return Problems.Invalid(e.Errors, "The forecast request is invalid");
            }
        }
        return new ForecastJsonResult(modelId, plan.Horizon, plan.MethodName, AnswerAll(plan, cancellationToken));
    }

    /// <summary>
    /// Every planned series' answer in order, <see cref="SeriesPerRead"/> series at a time: a model stored per series reads
    /// those series' fits, and the model forecasts them together (a neural network as one batch), so memory holds one
    /// chunk's fits and answers and not the fleet's.
    /// </summary>
    private async IAsyncEnumerable<SeriesForecast> AnswerAll(Plan plan, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in plan.Series.Chunk(SeriesPerRead))
        {
            var part = plan with { Loaded = await ForSeriesAsync(plan.Loaded, chunk.Select(s => s.Id).ToList(), cancellationToken) };
            foreach (var answer in AnswerChunk(part, chunk, cancellationToken)) yield return answer;
        }
    }

    /// <summary>Answers the whole request, records the answered series in one transaction, then returns the answer (or the failure to record).</summary>
    private async Task<IResult> RecordedAsync(Guid modelId, Guid? forecasterId, Plan plan, bool csv, CancellationToken cancellationToken)
    {
        List<SeriesForecast> answers;
        if (plan.Single && !csv)
        {
            try
            {
                answers = [Forecast(plan with { Loaded = await ForSeriesAsync(plan.Loaded, [plan.Series[0].Id], cancellationToken) }, plan.Series[0], cancellationToken)];
            }
            catch (RequestErrorsException e)
            {
                return Problems.Invalid(e.Errors, "The forecast request is invalid");
            }
        }
        else answers = await AnswerAll(plan, cancellationToken).ToListAsync(cancellationToken);

        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ForecastLedger>()
                .RecordAsync(LedgerRows(modelId, forecasterId, plan, answers), plan.Loaded.Spec.DatasetId, plan.Frame, cancellationToken);

        if (csv) return new ForecastCsvResult(answers.ToAsyncEnumerable(), plan.Shown, plan.Quantiles);
        if (plan.Single) return TypedResults.Ok(new ForecastResponse(modelId, answers[0].Series, answers[0].Origin!, plan.Horizon, plan.MethodName, answers[0].Points));
        return new ForecastJsonResult(modelId, plan.Horizon, plan.MethodName, answers.ToAsyncEnumerable());
    }

    /// <summary>
    /// The ledger rows of the answered series: per target and step, the mean and the 80/95 bounds where the answer has them,
    /// with the series' MASE scale (seasonal naive MAE of its stored observations up to the origin).
    /// </summary>
    private static List<ForecastRecordEntity> LedgerRows(Guid modelId, Guid? forecasterId, Plan plan, IReadOnlyList<SeriesForecast> answers)
    {
        var frequency = plan.Frame.Frequency;
        var stored = plan.Frame.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var rows = new List<ForecastRecordEntity>();
        foreach (var answer in answers)
        {
            if (answer.Origin is null || answer.Points.Count == 0) continue;
            // The answer's origin is in the data's own format (a date, or a step number), so it parses back to its ordinal.
            if (!frequency.TryParsePoint(Convert.ToString(answer.Origin, CultureInfo.InvariantCulture), out var origin)) continue;
            var series = stored.GetValueOrDefault(answer.Series);
            var scales = new Dictionary<string, double?>(StringComparer.Ordinal);
            for (var k = 1; k <= answer.Points.Count; k++)
                foreach (var (target, value) in answer.Points[k - 1].Values)
                {
                    if (!scales.TryGetValue(target, out var scale)) scales[target] = scale = MaseScale(series, target, origin, frequency);
                    rows.Add(new ForecastRecordEntity
                    {
                        ForecasterId = forecasterId, ModelId = modelId, DatasetId = plan.Loaded.Spec.DatasetId, Series = answer.Series, Target = target,
                        Frequency = frequency.Code, Origin = origin, Step = k, Timestamp = frequency.Add(origin, k), Mean = value.Mean,
                        Lower80 = Bound(value.Lower, "80"), Upper80 = Bound(value.Upper, "80"), Lower95 = Bound(value.Lower, "95"), Upper95 = Bound(value.Upper, "95"),
                        MaseScale = scale,
                    });
                }
        }
        return rows;
    }

    private static double? Bound(IReadOnlyDictionary<string, double> bounds, string level) => bounds.TryGetValue(level, out var value) ? value : null;

    private static double? MaseScale(Series? series, string target, long origin, Frequency frequency)
    {
        if (series is null || !series.Columns.TryGetValue(target, out var values)) return null;
        var upTo = (int)Math.Min(series.Length, Math.Max(0, frequency.StepsBetween(series.Start, origin) + 1));
        return ForecastErrorAccumulator.SeasonalNaiveScale(values.AsSpan(0, upTo), frequency.DefaultSeason);
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
    internal static double QuantileLevel(double quantile) => Math.Round(100 * Math.Abs(1 - 2 * quantile), 10);

    /// <summary>
    /// Answers for a chunk of series in a batch, the model forecasting them together (<see cref="IFittedModel.ForecastBatch"/>):
    /// a series that cannot be answered (too short before the origin …) gets its reason instead of points, and the others are answered.
    /// </summary>
    private SeriesForecast[] AnswerChunk(Plan plan, IReadOnlyList<Series> chunk, CancellationToken cancellationToken)
    {
        var answers = new SeriesForecast[chunk.Count];
        var asked = new List<(int Index, Series Prefix, ForecastQuery Query)>(chunk.Count);
        for (var i = 0; i < chunk.Count; i++)
        {
            try
            {
                var (prefix, query) = Prepare(plan, chunk[i]);
                asked.Add((i, prefix, query));
            }
            catch (RequestErrorsException e)
            {
                answers[i] = new SeriesForecast(chunk[i].Id, null, [], string.Join(" ", e.Errors.Select(x => $"{x.Field}: {x.Message}")));
            }
        }
        var forecasts = plan.Loaded.Model.ForecastBatch(asked.Select(a => a.Query).ToList(), cancellationToken);
        for (var j = 0; j < asked.Count; j++)
            answers[asked[j].Index] = forecasts[j].Forecasts is { } answered
                ? Points(plan, asked[j].Prefix, answered)
                : new SeriesForecast(asked[j].Prefix.Id, null, [], forecasts[j].Error);
        return answers;
    }

    /// <summary>Field errors found while answering one series (posted rows, origin outside the data).</summary>
    private sealed class RequestErrorsException(IReadOnlyList<FieldError> errors) : Exception("The forecast request is invalid")
    {
        public IReadOnlyList<FieldError> Errors { get; } = errors;
    }

    private SeriesForecast Forecast(Plan plan, Series series, CancellationToken cancellationToken)
    {
        var (prefix, query) = Prepare(plan, series);
        return Points(plan, prefix, plan.Loaded.Model.Forecast(query, cancellationToken));
    }

    /// <summary>The model's query for one series: its history up to the origin (with generated columns) and known-future values.</summary>
    private (Series Prefix, ForecastQuery Query) Prepare(Plan plan, Series series)
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
        return (prefix, new ForecastQuery(prefix, frame.Frequency, horizon, plan.Levels, plan.Samples, future, plan.Method, request.Explain == true));
    }

    /// <summary>One series' answer: its points with the asked levels and quantiles.</summary>
    private static SeriesForecast Points(Plan plan, Series prefix, IReadOnlyList<TargetForecast> forecasts)
    {
        var (frame, horizon) = (plan.Frame, plan.Horizon);
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
        var kind = kinds.Get(entity.Kind);
        // Stored per series: only what the series share (the calibration) is loaded and cached here, no fits; models stored
        // whole (all neural models, and statistical ones trained before per-series state) are loaded and cached whole.
        var model = kind.Load(entity.State, spec);
        var loaded = kind is ISeriesStateKind perSeries && entity.StateFormat == perSeries.SeriesStateFormat
            ? new LoadedModel(BoundedModel.Wrap(model, spec.Bounds), spec, id, perSeries, model)
            : new LoadedModel(BoundedModel.Wrap(model, spec.Bounds), spec, id);
        return _models.Set(id, loaded, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
    }

    /// <summary>A <c>model_series</c> row as a forecast reads it.</summary>
    private sealed record StoredSeriesRow(string SeriesId, string Target, SeriesStatus Status, string? Reason, byte[]? State);

    /// <summary>
    /// The model as it forecasts <paramref name="seriesIds"/>: a model stored whole as it is; one stored per series rebuilt
    /// from those series' rows alone (their fits, and why training skipped any).
    /// </summary>
    internal async Task<LoadedModel> ForSeriesAsync(LoadedModel loaded, IReadOnlyList<string> seriesIds, CancellationToken cancellationToken)
    {
        if (loaded.PerSeries is not { } kind) return loaded;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        // Not a compiled query: one is bound to the first database provider it runs on, and the tests run both in one process.
        var read = await db.ModelSeries.AsNoTracking().Where(s => s.ModelId == loaded.Id && seriesIds.Contains(s.SeriesId))
            .Select(s => new StoredSeriesRow(s.SeriesId, s.Target, s.Status, s.Reason, s.State)).ToListAsync(cancellationToken);
        var rank = loaded.Spec.Targets.Index().ToDictionary(t => t.Item, t => t.Index, StringComparer.Ordinal);
        var states = read.Where(r => r.State is not null).OrderBy(r => rank.GetValueOrDefault(r.Target))
            .Select(r => new SeriesState(r.SeriesId, r.Target, r.State!)).ToList();
        var skipped = read.Where(r => r.Status == SeriesStatus.Skipped).Select(r => new SeriesOutcome(r.SeriesId, r.Target, r.Status, null, r.Reason)).ToList();
        return loaded with { Model = BoundedModel.Wrap(kind.LoadSeries(loaded.Shared!, states, skipped), loaded.Spec.Bounds) };
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
