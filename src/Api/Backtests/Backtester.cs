using Forecasting.Api.Forecasts;
using Forecasting.Domain;
using Forecasting.Training.Covariates;
using Forecasting.Training.Models;

namespace Forecasting.Api.Backtests;

/// <summary>One forecast of a backtest: made at <c>origin</c> (the last observation used), <c>step</c> steps ahead.</summary>
public sealed record BacktestForecast(object Origin, string? Series, string Target, int Step, object Timestamp, double Predicted, double Actual);

public sealed record BacktestResult(MetricSet? Metrics, IReadOnlyList<BacktestForecast> Forecasts, IReadOnlyList<BacktestSkip> Skipped);

/// <summary>
/// The rolling-origin loop, for any model kind: origins run from <c>from − horizon</c> to <c>to − 1</c>, so
/// every target in from..to is forecast at each step 1..horizon from the data strictly before it. The model
/// is trained through <see cref="IModelKind.Train"/> on trainFrom..origin at every refit, and between refits
/// the last fitted model forecasts from the longer history through <see cref="IFittedModel.Forecast"/>
/// (statistical kinds: the fixed parameters run on the new observations).
/// </summary>
public static class Backtester
{
    /// <summary>The origins (as points of the frequency) of a backtest of from..to with this horizon.</summary>
    /// <summary>How many origins <see cref="Origins"/> lists, without listing them (a request's horizon may be anything).</summary>
    public static long OriginCount(Frequency frequency, long from, long to, int horizon) =>
        Math.Max(0, frequency.StepsBetween(from, to) + horizon);

    public static IReadOnlyList<long> Origins(Frequency frequency, long from, long to, int horizon)
    {
        var origins = new List<long>();
        for (var o = frequency.Add(from, -horizon); o <= frequency.Add(to, -1); o = frequency.Add(o, 1)) origins.Add(o);
        return origins;
    }

    /// <summary>Origins between refits: the request's, else every origin for a statistical kind (a refit is cheap) and once for the others.</summary>
    public static int RefitEvery(IModelKind kind, BacktestRequest request) =>
        request.RefitEvery ?? (kind.Traits.Family == ModelFamily.Statistical ? 1 : int.MaxValue);

    /// <summary>How many times a backtest of <paramref name="origins"/> origins fits the model (the first origin always does).</summary>
    public static long Refits(IModelKind kind, BacktestRequest request, int origins) =>
        origins == 0 ? 0 : 1 + (origins - 1L) / RefitEvery(kind, request);

    /// <summary>
    /// Runs the loop; with <paramref name="resume"/> (an interrupted attempt's completed origins) it continues after them.
    /// <paramref name="completed"/> is called after each origin with the origins done and all forecasts so far (for checkpoints).
    /// </summary>
    public static BacktestResult Run(
        IModelKind kind, DatasetFrame frame, BacktestRequest request, IProgress<int>? progress, CancellationToken cancellationToken,
        BacktestCheckpoint? resume = null, Action<int, IReadOnlyList<BacktestForecast>, IReadOnlyList<BacktestSkip>>? completed = null)
    {
        var frequency = frame.Frequency;
        if (!frequency.TryParsePoint(request.From, out var from) || !frequency.TryParsePoint(request.To, out var to))
            throw new ArgumentException("from and to must be points of the dataset's frequency.");
        var selected = request.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series.ToList();
        long trainFrom = selected.Min(s => s.Start);
        if (request.TrainFrom is not null && !frequency.TryParsePoint(request.TrainFrom, out trainFrom))
            throw new ArgumentException($"trainFrom '{request.TrainFrom}' is not a point of the dataset's frequency.");

        // The expanding window never reaches before trainFrom nor past `to`: cut each series to that span once.
        // Calendar and holiday features are computed from the timestamps, for the history here and for each origin's steps below.
        var data = GeneratedColumns.AddTo(frame with { Series = selected.Select(s => Slice(s, frequency, trainFrom, to)).OfType<Series>().ToList() }, request.Calendar, request.Holidays);
        var series = data.Series;
        var origins = Origins(frequency, from, to, request.Horizon);
        var refitEvery = RefitEvery(kind, request);
        var horizon = request.Horizon;
        var trainFromText = frequency.Format(trainFrom);
        var panel = series.Count > 1;
        var full = selected.ToDictionary(s => s.Id, StringComparer.Ordinal);

        var errors = new ForecastErrorAccumulator();
        // MASE scales each series by its seasonal naive MAE in sample: the data before the backtest period (trainFrom..from).
        var season = frequency.DefaultSeason;
        foreach (var s in series)
        {
            var before = (int)Math.Clamp(frequency.StepsBetween(s.Start, from), 0, s.Length);
            foreach (var target in request.Targets)
                errors.SetMaseScale(s.Id, target, season, ForecastErrorAccumulator.SeasonalNaiveScale(s[target].AsSpan(0, before), season));
        }
        var forecasts = new List<BacktestForecast>(origins.Count * horizon * request.Targets.Count * series.Count);
        // Series the model cannot forecast at an origin (too short a history for its window) are counted, not fatal.
        var skipped = (resume?.Skipped ?? []).ToDictionary(k => k.Series, StringComparer.Ordinal);
        IFittedModel? model = null;
        var first = 0;
        if (resume is not null)
        {
            if (resume.Done < 0 || resume.Done > origins.Count) throw new ArgumentException($"the checkpoint's {resume.Done} origins do not fit this backtest's {origins.Count}");
            // The same additions in the same order: the metrics equal the uninterrupted backtest's.
            foreach (var f in resume.Forecasts) errors.Add(f.Target, f.Step, f.Actual, f.Predicted, f.Series ?? series[0].Id);
            forecasts.AddRange(resume.Forecasts);
            first = resume.Done;
        }
        for (var i = first; i < origins.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var origin = origins[i];
            // Resumed between refits: fit where the uninterrupted loop last did (same data, same seed, same model).
            if (model is null || i % refitEvery == 0)
                model = Fit(kind, data, request.ToTrainingSpec(trainFromText, frequency.Format(origins[i - i % refitEvery])), cancellationToken);
            foreach (var s in series)
            {
                var end = s.IndexOf(origin, frequency);
                if (end < 0) continue; // this series starts after the origin
                var future = request.KnownFuture is { Count: > 0 } || request.Calendar is { Count: > 0 } || request.Holidays is not null
                    ? GeneratedColumns.AddTo(ActualFuture(frame, full[s.Id], frequency.Add(origin, 1), horizon, request.KnownFuture ?? []), frequency, request.Calendar, request.Holidays)
                    : null;
                var query = new ForecastQuery(Prefix(s, end + 1), frequency, horizon, [], 1, future);
                IReadOnlyList<TargetForecast> targets;
                try
                {
                    targets = model.Forecast(query, cancellationToken);
                }
                catch (ForecastInputException e)
                {
                    skipped[s.Id] = skipped.TryGetValue(s.Id, out var skip) ? skip with { Origins = skip.Origins + 1 } : new BacktestSkip(s.Id, 1, e.Message);
                    continue;
                }
                foreach (var forecast in targets)
                {
                    var actuals = s[forecast.Target];
                    for (var k = 1; k <= horizon; k++)
                    {
                        var point = frequency.Add(origin, k);
                        if (point < from || point > to || end + k >= s.Length) continue;
                        var actual = actuals[end + k];
                        var predicted = forecast.Mean[k - 1];
                        errors.Add(forecast.Target, k, actual, predicted, s.Id);
                        forecasts.Add(new BacktestForecast(
                            ForecastService.Timestamp(frequency, origin), panel ? s.Id : null, forecast.Target, k,
                            ForecastService.Timestamp(frequency, point), predicted, actual));
                    }
                }
            }
            progress?.Report(i + 1);
            completed?.Invoke(i + 1, forecasts, [.. skipped.Values]);
        }
        if (forecasts.Count == 0 && skipped.Count > 0)
            throw new UserInputException($"No series could be forecast at any origin: {string.Join("; ", skipped.Values.Take(3).Select(k => $"'{k.Series}': {k.Reason}"))}");
        return new BacktestResult(errors.ToMetrics(), forecasts, [.. skipped.Values.OrderBy(k => k.Series, StringComparer.Ordinal)]);
    }

    private static IFittedModel Fit(IModelKind kind, DatasetFrame data, TrainingRunSpec spec, CancellationToken cancellationToken)
    {
        spec = spec.WithDeclaredBounds(data);
        var (periods, splitErrors) = SplitResolver.Resolve(spec.Split, data.Frequency, data.Series);
        if (splitErrors.Count > 0)
            throw new ArgumentException($"Training up to {spec.Split?.TrainTo} is not possible: " + string.Join(" ", splitErrors.Select(e => e.Message)));
        var problems = kind.Validate(spec, data, periods).ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"Training up to {spec.Split?.TrainTo}: " + string.Join(" ", problems.Select(e => $"{e.Field}: {e.Message}")));
        return BoundedModel.Wrap(kind.Train(new TrainingInput(data, spec, periods), null, cancellationToken).Model, spec.Bounds);
    }

    /// <summary>
    /// The actual known-future values of the <paramref name="horizon"/> steps from <paramref name="first"/>: the stored
    /// observations, then the dataset's future rows. Steps past both (beyond <c>to</c> at the last origins, never scored)
    /// repeat the last value known, which no scored step's covariate is.
    /// </summary>
    private static Series ActualFuture(DatasetFrame frame, Series stored, long first, int horizon, IReadOnlyList<string> known)
    {
        var frequency = frame.Frequency;
        var ahead = frame.FutureOf(stored.Id);
        var values = known.ToDictionary(c => c, c =>
        {
            var steps = new double[horizon];
            for (var k = 0; k < horizon; k++)
            {
                var point = frequency.Add(first, k);
                if (stored.IndexOf(point, frequency) is var index and >= 0) steps[k] = stored[c][index];
                else if (ahead is not null && ahead.Columns.TryGetValue(c, out var planned) && ahead.IndexOf(point, frequency) is var offset and >= 0) steps[k] = planned[offset];
                else steps[k] = k > 0 ? steps[k - 1] : stored[c][^1];
            }
            return steps;
        });
        return new Series(stored.Id, first, horizon, values);
    }

    /// <summary>The part of a series in [from, to], or null when none of it is.</summary>
    private static Series? Slice(Series series, Frequency frequency, long from, long to)
    {
        var start = Math.Max(0L, frequency.StepsBetween(series.Start, from) + (frequency.IsAligned(series.Start, from) || from < series.Start ? 0 : 1));
        var end = Math.Min(series.Length, frequency.StepsBetween(series.Start, to) + 1);
        if (end <= start) return null;
        return Range(series, frequency, (int)start, (int)end);
    }

    private static Series Prefix(Series series, int length) =>
        length == series.Length ? series : Range(series, null, 0, length);

    private static Series Range(Series series, Frequency? frequency, int start, int end) =>
        start == 0 && end == series.Length ? series : new Series(
            series.Id, frequency is null ? series.Start : frequency.Add(series.Start, start), end - start,
            series.Columns.ToDictionary(c => c.Key, c => c.Value.AsSpan(start, end - start).ToArray()));
}
