using MathNet.Numerics.Distributions;

namespace Forecasting.Training.Models;

/// <summary>Gaussian intervals from a forecast's mean and variance per step.</summary>
public static class PredictionIntervals
{
    /// <summary>The two-sided standard-normal quantile for a level in percent (95 → 1.95996…).</summary>
    public static double ZScore(double levelPercent) => Normal.InvCDF(0, 1, 0.5 + levelPercent / 200.0);

    public static TargetForecast Gaussian(string target, double[] mean, double[] variance, IReadOnlyList<double> levels)
    {
        var lower = new Dictionary<double, double[]>();
        var upper = new Dictionary<double, double[]>();
        foreach (var level in levels)
        {
            var z = ZScore(level);
            lower[level] = mean.Select((m, k) => m - z * Math.Sqrt(Math.Max(0, variance[k]))).ToArray();
            upper[level] = mean.Select((m, k) => m + z * Math.Sqrt(Math.Max(0, variance[k]))).ToArray();
        }
        return new TargetForecast(target, mean, lower, upper);
    }

    /// <summary>
    /// Conformal intervals: mean ± q·spread per step, q the calibration's score quantile for the target, step and
    /// level; the spread (the model's own standard deviation per step) is kept on the forecast.
    /// </summary>
    public static TargetForecast Conformal(string target, double[] mean, double[] spread, ConformalCalibration calibration, IReadOnlyList<double> levels)
    {
        var lower = new Dictionary<double, double[]>();
        var upper = new Dictionary<double, double[]>();
        foreach (var level in levels)
        {
            var width = mean.Select((_, k) => calibration.Quantile(target, k + 1, level) * ScoredForecast.Effective(spread[k])).ToArray();
            lower[level] = mean.Select((m, k) => m - width[k]).ToArray();
            upper[level] = mean.Select((m, k) => m + width[k]).ToArray();
        }
        return new TargetForecast(target, mean, lower, upper);
    }

    /// <summary>The forecast with every lower bound raised to at least <paramref name="floor"/> (zero for non-negative demand).</summary>
    public static TargetForecast AtLeast(TargetForecast forecast, double floor) => forecast with
    {
        Lower = forecast.Lower.ToDictionary(l => l.Key, l => l.Value.Select(v => Math.Max(floor, v)).ToArray()),
    };

    /// <summary>
    /// The method a query gets from a model: conformal where asked for or by default when the model is calibrated;
    /// asking for conformal intervals from a model without a calibration is the client's error.
    /// </summary>
    public static IntervalMethod Resolve(IntervalMethod? requested, ConformalCalibration? calibration) => requested switch
    {
        IntervalMethod.Conformal when calibration is null => throw new ForecastInputException(
            "This model was trained without a validation period, so it has no errors to calibrate conformal intervals on; ask for method 'model', or retrain with a validation period (split.validFrom) or with intervals.calibration \"backtest\" (calibrated on refits at rolling origins)."),
        { } method => method,
        null => calibration is null ? IntervalMethod.Model : IntervalMethod.Conformal,
    };

    /// <summary>Empirical intervals from sampled paths (MC dropout): the (100−level)/2 and (100+level)/2 percentiles.</summary>
    public static TargetForecast FromSamples(string target, double[][] samplesByStep, IReadOnlyList<double> levels)
    {
        var mean = samplesByStep.Select(s => s.Average()).ToArray();
        var lower = new Dictionary<double, double[]>();
        var upper = new Dictionary<double, double[]>();
        var sorted = samplesByStep.Select(s => s.Order().ToArray()).ToArray();
        foreach (var level in levels)
        {
            lower[level] = sorted.Select(s => Percentile(s, (100 - level) / 2)).ToArray();
            upper[level] = sorted.Select(s => Percentile(s, (100 + level) / 2)).ToArray();
        }
        return new TargetForecast(target, mean, lower, upper);
    }

    private static double Percentile(double[] sorted, double percent)
    {
        var position = percent / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
