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
