using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>Metrics of a period from scored forecasts: errors, and coverage and interval score per level.</summary>
public static class IntervalScoring
{
    public static readonly IReadOnlyList<double> DefaultLevels = [80, 95];

    /// <summary>
    /// Errors of the means, and the intervals the service would serve at each level: conformal when a calibration
    /// is given, otherwise Gaussian on the model's spread; MASE on <paramref name="mase"/>'s scales (none without). With
    /// <paramref name="bounds"/>, means and intervals are clipped to them first, as they are served. Null when there are no forecasts.
    /// </summary>
    public static MetricSet? Metrics(IEnumerable<ScoredForecast> forecasts, ConformalCalibration? calibration, IReadOnlyList<double> levels, MaseScales? mase = null,
        ForecastBounds? bounds = null)
    {
        var clip = bounds is null ? (Func<double, double>)(v => v) : bounds.Clip;
        var accumulator = new ForecastErrorAccumulator();
        mase?.ApplyTo(accumulator);
        var z = levels.Select(PredictionIntervals.ZScore).ToArray();
        foreach (var f in forecasts)
        {
            // A transformed model's intervals are made on its scale and mapped back bound by bound, as served.
            var scale = f.Scale;
            var actual = scale?.Inverse(f.Actual) ?? f.Actual;
            accumulator.Add(f.Target, f.Step, actual, clip(scale?.Point(f.Mean, f.Spread * f.Spread) ?? f.Mean), f.Series);
            var spread = ScoredForecast.Effective(f.Spread);
            for (var i = 0; i < levels.Count; i++)
            {
                var width = (calibration is null ? z[i] : calibration.Quantile(f.Target, f.Step, levels[i])) * spread;
                var (lower, upper) = scale is null ? (f.Mean - width, f.Mean + width) : (scale.Inverse(f.Mean - width), scale.Inverse(f.Mean + width));
                accumulator.AddInterval(f.Target, levels[i], actual, clip(Math.Max(f.Floor, lower)), clip(upper), f.Series);
            }
        }
        return accumulator.ToMetrics();
    }
}
