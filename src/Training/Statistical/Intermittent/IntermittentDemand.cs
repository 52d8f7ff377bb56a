using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// What the intermittent-demand methods share: simple exponential smoothing started at the first value (R's
/// <c>ses(initial = "simple")</c>, StatsForecast's <c>_ses_forecast</c>), the mean interval between demands,
/// and flat forecasts whose variance is the method's mean squared one-step error on the training period.
/// </summary>
public static class IntermittentDemand
{
    /// <summary>StatsForecast's bounds for the smoothing constant it chooses (ADIDA, IMAPA).</summary>
    public const double LowestAlpha = 0.1, HighestAlpha = 0.3;

    /// <summary>The non-zero values of a span.</summary>
    public static int CountDemands(ReadOnlySpan<double> values)
    {
        var count = 0;
        foreach (var v in values) if (v != 0) count++;
        return count;
    }

    /// <summary>
    /// The mean number of steps between demands, the first counted from before the series starts (StatsForecast's
    /// <c>_intervals</c>): the position of the last demand over the number of demands; 1 without demands.
    /// </summary>
    public static double MeanInterval(ReadOnlySpan<double> values)
    {
        var count = 0;
        var last = 0;
        for (var t = 0; t < values.Length; t++)
            if (values[t] != 0) (count, last) = (count + 1, t + 1);
        return count == 0 ? 1 : (double)last / count;
    }

    /// <summary>The mean interval rounded half to even, as NumPy, and at least 1: ADIDA's bucket, IMAPA's largest.</summary>
    public static int AggregationLevel(ReadOnlySpan<double> values) =>
        Math.Max(1, (int)Math.Round(MeanInterval(values), MidpointRounding.ToEven));

    /// <summary>The level of simple exponential smoothing after every value, started at the first.</summary>
    public static double SmoothedLevel(ReadOnlySpan<double> values, double alpha)
    {
        var level = values[0];
        for (var t = 1; t < values.Length; t++) level += alpha * (values[t] - level);
        return level;
    }

    /// <summary>The sum of squared one-step errors of simple exponential smoothing started at the first value.</summary>
    public static double SquaredErrors(ReadOnlySpan<double> values, double alpha)
    {
        var level = values[0];
        double sum = 0;
        for (var t = 1; t < values.Length; t++)
        {
            var error = values[t] - level;
            sum += error * error;
            level += alpha * error;
        }
        return sum;
    }

    /// <summary>
    /// The smoothing constant in [0.1, 0.3] with the least squared one-step errors, by golden-section search, as
    /// StatsForecast's <c>_optimized_ses_forecast</c> (which uses SciPy's bounded scalar minimiser on the same bounds).
    /// </summary>
    public static double OptimalAlpha(ReadOnlySpan<double> values)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double left = LowestAlpha, right = HighestAlpha;
        var c = right - ratio * (right - left);
        var d = left + ratio * (right - left);
        var fc = SquaredErrors(values, c);
        var fd = SquaredErrors(values, d);
        while (right - left > 1e-10)
        {
            if (fc <= fd)
            {
                (right, d, fd) = (d, c, fc);
                c = right - ratio * (right - left);
                fc = SquaredErrors(values, c);
            }
            else
            {
                (left, c, fc) = (c, d, fd);
                d = left + ratio * (right - left);
                fd = SquaredErrors(values, d);
            }
        }
        return (left + right) / 2;
    }

    /// <summary>The sums of buckets of <paramref name="level"/> steps ending at the end of the values (an incomplete first bucket dropped).</summary>
    public static double[] BucketSums(ReadOnlySpan<double> values, int level)
    {
        var sums = new double[values.Length / level];
        var first = values.Length % level;
        for (var b = 0; b < sums.Length; b++)
            foreach (var v in values.Slice(first + b * level, level)) sums[b] += v;
        return sums;
    }

    /// <summary>The smoothing constant of an aggregated series: the one given, else the least-squares one in [0.1, 0.3].</summary>
    public static double AggregateAlpha(ReadOnlySpan<double> values, int level, double? alpha) => alpha ?? OptimalAlpha(BucketSums(values, level));

    /// <summary>
    /// ADIDA's forecast of one step at every origin n ≥ <paramref name="level"/> (NaN before): the values before n cut into
    /// buckets of <paramref name="level"/> steps ending at n (an incomplete first bucket dropped), the buckets' sums
    /// smoothed with <paramref name="alpha"/>, the smoothed sum shared equally over the bucket's steps.
    /// </summary>
    public static double[] AggregatedForecasts(ReadOnlySpan<double> values, int level, double alpha)
    {
        var forecasts = new double[values.Length + 1];
        Array.Fill(forecasts, double.NaN, 0, Math.Min(level, forecasts.Length));
        // Origins with the same remainder modulo the level share their buckets: one smoothing pass per remainder.
        for (var first = 0; first < level; first++)
        {
            var smoothed = double.NaN;
            for (var start = first; start + level <= values.Length; start += level)
            {
                double sum = 0;
                foreach (var v in values.Slice(start, level)) sum += v;
                smoothed = start == first ? sum : smoothed + alpha * (sum - smoothed);
                forecasts[start + level] = smoothed / level;
            }
        }
        return forecasts;
    }

    /// <summary>The mean squared one-step error of <paramref name="forecasts"/> (indexed by origin) from origin <paramref name="first"/> on.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> values, double[] forecasts, int first)
    {
        double sum = 0;
        for (var t = first; t < values.Length; t++)
        {
            var error = values[t] - forecasts[t];
            sum += error * error;
        }
        return values.Length > first ? sum / (values.Length - first) : 0;
    }

    /// <summary>Demand cannot be negative: a history posted with a negative value is the client's error.</summary>
    public static void RequireNonNegative(ReadOnlySpan<double> history)
    {
        for (var t = 0; t < history.Length; t++)
            if (history[t] < 0)
                throw new ForecastInputException($"Intermittent-demand models forecast non-negative demand; the history has {history[t]} at position {t + 1} of {history.Length}.");
    }

    /// <summary>A flat forecast: the one-step forecast at the end of the history for every step, with a constant variance.</summary>
    public static (double[] Mean, double[] Variance) Flat(double[] forecasts, double variance, int horizon) =>
        (Enumerable.Repeat(forecasts[^1], horizon).ToArray(), Enumerable.Repeat(variance, horizon).ToArray());

    /// <summary>Flat forecasts from many origins, <paramref name="forecasts"/> indexed by origin.</summary>
    public static double[][] AtOrigins(double[] forecasts, IReadOnlyList<int> origins, int horizon) =>
        origins.Select(o => Enumerable.Repeat(forecasts[o], horizon).ToArray()).ToArray();
}
