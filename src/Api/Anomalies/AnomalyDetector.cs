using System.Globalization;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.Anomalies;

/// <summary>
/// Judges stored observations against a model's forecasts: observation t of a series is compared with the forecast made
/// <c>step</c> steps ahead from the history up to t − step, through the model's own <see cref="IFittedModel.Forecast"/>
/// (parameters fixed, no refit, as a backtest between refits), and flagged where it falls outside the interval at a level.
/// </summary>
public static class AnomalyDetector
{
    private static readonly double[] DefaultLevels = [95];

    /// <summary>MC-dropout passes per forecast, as a forecast request's default.</summary>
    private const int Samples = 100;

    /// <summary>A validated request: which observations (index ranges per series) to judge and how.</summary>
    internal sealed record Plan(ForecastService.LoadedModel Loaded, DatasetFrame Frame, IReadOnlyList<(Series Series, int First, int End)> Ranges,
        long From, long To, int Step, IReadOnlyList<double> Levels, IntervalMethod? Method, bool Clean)
    {
        public string MethodName => (Method ?? (Loaded.Model.Calibration is null ? IntervalMethod.Model : IntervalMethod.Conformal)).ToWire();
    }

    internal static Plan? Validate(ForecastService.LoadedModel loaded, DatasetFrame frame, AnomalyRequest request, ModelKindRegistry kinds, Limits cap, List<FieldError> errors)
    {
        var spec = loaded.Spec;
        var frequency = frame.Frequency;
        var step = request.Step ?? 1;
        if (step < 1) errors.Add(new FieldError("step", "step (h, the steps between a forecast's origin and the observation it judges) must be at least 1."));
        else if (step > cap.MaxHorizon) errors.Add(new FieldError("step", $"step {step} is above the cap of {cap.MaxHorizon} steps (Limits:MaxHorizon)."));
        else if (step > spec.Horizon && spec.Strategy is ForecastStrategy.Direct or ForecastStrategy.Seq2seq && kinds.Get(loaded.Model.Kind).Traits.Family != ModelFamily.Statistical)
            errors.Add(new FieldError("step", $"This model was trained to forecast {spec.Horizon} steps at once ({spec.Strategy.ToWire()}); step can be at most {spec.Horizon}."));

        IReadOnlyList<double> levels = DefaultLevels;
        if (request.Level is not null && request.Levels is not null)
            errors.Add(new FieldError("level", "Give level (one) or levels (several), not both."));
        else if (request.Level is { } one)
        {
            levels = [one];
            errors.AddRange(ForecastLevels.Check(levels, cap.MaxLevels).Select(e => e with { Field = "level" }));
        }
        else if (request.Levels is { } several)
        {
            levels = several;
            if (several.Count == 0) errors.Add(new FieldError("levels", "Name at least one level, or leave levels out for 95."));
            errors.AddRange(ForecastLevels.Check(several, cap.MaxLevels));
        }
        if (request.Method == IntervalMethod.Conformal && loaded.Model.Calibration is null)
            errors.Add(new FieldError("method", "This model was trained without a validation period, so conformal intervals have no errors to calibrate on; use 'model', or retrain with a validation period (split.validFrom) or with intervals.calibration \"backtest\"."));

        var (selected, _) = SeriesSelection.Select(request.Series, frame, spec, errors);
        long from = 0, to = 0;
        bool Point(string field, string? text, out long point)
        {
            point = 0;
            if (text is null) return false;
            if (frequency.TryParsePoint(text, out point)) return true;
            errors.Add(new FieldError(field, frequency == Frequency.Steps ? $"'{text}' is not a step number." : $"'{text}' is not a date (use ISO, e.g. 2020-06-01)."));
            return false;
        }
        if (request.From is null) errors.Add(new FieldError("from", "from (the first observation to judge, e.g. 2020-06-01) is required."));
        var hasFrom = Point("from", request.From, out from);
        var hasTo = Point("to", request.To, out to);
        if (selected.Count == 0 && errors.Count == 0)
            errors.Add(new FieldError("series", "None of the model's series is left in its dataset."));
        if (errors.Count > 0) return null;

        var first = selected.Min(s => s.Start);
        var last = selected.Max(s => s.End(frequency));
        if (!hasTo) to = last;
        var span = $"{frequency.Format(first)} to {frequency.Format(last)}";
        if (hasFrom && (from < first || from > last)) errors.Add(new FieldError("from", $"from must lie within the data of the series judged, {span}."));
        else if (hasTo && (to < first || to > last)) errors.Add(new FieldError("to", $"to must lie within the data of the series judged, {span}."));
        else if (from > to) errors.Add(new FieldError("to", $"to ({frequency.Format(to)}) is before from ({frequency.Format(from)})."));
        if (errors.Count > 0) return null;

        var ranges = selected.Select(s => (Series: s, First: Index(s, frequency, from, ceiling: true), End: Index(s, frequency, to, ceiling: false) + 1))
            .Where(r => r.End > r.First).ToList();
        var observations = ranges.Sum(r => (long)(r.End - r.First)) * spec.Targets.Count;
        if (observations == 0)
            errors.Add(new FieldError("from", $"No observation of the series judged lies between from and to ({frequency.Format(from)} to {frequency.Format(to)})."));
        else if (observations > cap.MaxAnomalyObservations)
            errors.Add(new FieldError("to", $"{frequency.Format(from)}..{frequency.Format(to)} holds {observations.ToString("N0", CultureInfo.InvariantCulture)} observations over the series and targets judged; " +
                $"at most {cap.MaxAnomalyObservations.ToString("N0", CultureInfo.InvariantCulture)} are judged per request (Limits:MaxAnomalyObservations). Shorten the period or name fewer series."));
        return errors.Count > 0 ? null : new Plan(loaded, frame, ranges, from, to, step, levels.Distinct().ToList(), request.Method, request.Clean ?? false);
    }

    /// <summary>
    /// Forecasts and judges every planned observation. A series whose history before an observation is too short for the
    /// model (its window, its minimum history, or the step itself) is a field error on <c>from</c>, with the first
    /// observation that series can be judged at where the model says so.
    /// </summary>
    internal static IReadOnlyList<AnomalyPoint> Detect(Plan plan, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var (spec, frequency, step) = (plan.Loaded.Spec, plan.Frame.Frequency, plan.Step);
        var columns = spec.Targets.Concat(spec.EffectiveInputs).Concat(spec.EffectiveKnownFuture).Distinct().ToList();
        var keys = plan.Levels.Select(l => (Level: l, Key: ForecastService.LevelKey(l))).ToList();
        var widest = ForecastService.LevelKey(plan.Levels.Max());
        var points = new List<AnomalyPoint>();
        foreach (var (stored, first, end) in plan.Ranges)
        {
            // Cleaning writes into a copy of the columns forecasts read; the actuals reported stay the stored ones.
            var series = plan.Clean ? new Series(stored.Id, stored.Start, stored.Length, columns.ToDictionary(c => c, c => stored[c].ToArray())) : stored;
            for (var t = first; t < end; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var length = t - step + 1; // the history: observations 0..t − step
                var at = frequency.Format(frequency.Add(series.Start, t));
                if (length < 1)
                {
                    errors.Add(new FieldError("from", $"Series '{series.Id}' starts at {frequency.Format(series.Start)}: {at} has no data {step} step{(step == 1 ? "" : "s")} before it to forecast from. Start from at {frequency.Format(frequency.Add(series.Start, step))} or later."));
                    break;
                }
                var future = spec.EffectiveKnownFuture is { Count: > 0 } known
                    ? new Series(series.Id, frequency.Add(series.Start, length), step, known.ToDictionary(c => c, c => series[c].AsSpan(length, step).ToArray()))
                    : null;
                var query = new ForecastQuery(Prefix(series, length, columns), frequency, step, plan.Levels, Samples, future, plan.Method);
                IReadOnlyList<TargetForecast> forecasts;
                try
                {
                    forecasts = plan.Loaded.Model.Forecast(query, cancellationToken);
                }
                catch (ForecastInputException e)
                {
                    errors.Add(new FieldError("from", $"Series '{series.Id}': the model cannot forecast {at} from the {length} observation{(length == 1 ? "" : "s")} before it ({step} step{(step == 1 ? "" : "s")} ahead): {e.Message} Start from later."));
                    break;
                }
                var timestamp = ForecastService.Timestamp(frequency, frequency.Add(series.Start, t));
                foreach (var forecast in forecasts)
                {
                    var point = Judge(series.Id, forecast, stored[forecast.Target][t], step - 1, timestamp, keys);
                    points.Add(point);
                    if (plan.Clean && point.Anomaly[widest]) series[forecast.Target][t] = point.Mean;
                }
            }
        }
        return points;
    }

    private static AnomalyPoint Judge(string series, TargetForecast forecast, double actual, int k, object timestamp, IReadOnlyList<(double Level, string Key)> keys)
    {
        var mean = forecast.Mean[k];
        var lower = new Dictionary<string, double>(keys.Count, StringComparer.Ordinal);
        var upper = new Dictionary<string, double>(keys.Count, StringComparer.Ordinal);
        var score = new Dictionary<string, double?>(keys.Count, StringComparer.Ordinal);
        var anomaly = new Dictionary<string, bool>(keys.Count, StringComparer.Ordinal);
        foreach (var (level, key) in keys)
        {
            var (lo, hi) = (forecast.Lower[level][k], forecast.Upper[level][k]);
            lower[key] = lo;
            upper[key] = hi;
            // The half-width on the actual's side: intervals need not be symmetric (lower bounds clipped at zero).
            var halfWidth = actual >= mean ? hi - mean : mean - lo;
            score[key] = halfWidth > 0 ? Math.Abs(actual - mean) / halfWidth : null;
            anomaly[key] = actual < lo || actual > hi;
        }
        return new AnomalyPoint(series, forecast.Target, timestamp, actual, mean, lower, upper, score, anomaly);
    }

    /// <summary>Per level: observations, flagged, and the count an exact interval would flag by chance.</summary>
    internal static IReadOnlyList<AnomalyCount> Count(IReadOnlyList<AnomalyPoint> points, IReadOnlyList<double> levels) =>
        levels.Select(level =>
        {
            var key = ForecastService.LevelKey(level);
            var flagged = points.Count(p => p.Anomaly[key]);
            return new AnomalyCount(level, points.Count, flagged, Math.Round((1 - level / 100) * points.Count, 2));
        }).ToList();

    /// <summary>The index of <paramref name="point"/> in a series: the first observation at or after it (ceiling), or the last at or before it.</summary>
    private static int Index(Series series, Frequency frequency, long point, bool ceiling)
    {
        if (point < series.Start) return ceiling ? 0 : -1;
        var steps = frequency.StepsBetween(series.Start, point);
        if (ceiling && !frequency.IsAligned(series.Start, point)) steps++;
        return (int)Math.Min(steps, ceiling ? series.Length : series.Length - 1);
    }

    private static Series Prefix(Series series, int length, IReadOnlyList<string> columns) =>
        length == series.Length ? series : new Series(series.Id, series.Start, length, columns.ToDictionary(c => c, c => series[c].AsSpan(0, length).ToArray()));
}
