namespace Forecasting.Training.Statistical.Theta;

/// <summary>
/// R's <c>decompose(type = "multiplicative")</c>: the trend is the centred moving average over one season
/// (weights ½, 1, …, 1, ½ over m + 1 points for an even season), and the seasonal index at each place in the
/// season is the mean ratio of the data to that trend there, scaled to average one.
/// </summary>
public static class ClassicalDecomposition
{
    /// <summary>The <paramref name="season"/> multiplicative indices; index i belongs to observations t with t mod season = i.</summary>
    public static double[] MultiplicativeIndices(ReadOnlySpan<double> y, int season)
    {
        var n = y.Length;
        if (season < 2 || n < 2 * season)
            throw new ArgumentException($"A classical decomposition with season {season} needs at least {2 * season} observations, got {n}.");
        var half = season / 2;
        var even = season % 2 == 0;
        var sums = new double[season];
        var counts = new int[season];
        for (var t = half; t < n - half; t++)
        {
            double trend = 0;
            for (var j = -half; j <= half; j++)
                trend += (even && Math.Abs(j) == half ? 0.5 : 1) * y[t + j];
            trend /= season;
            sums[t % season] += y[t] / trend;
            counts[t % season]++;
        }
        var indices = new double[season];
        double total = 0;
        for (var i = 0; i < season; i++) total += indices[i] = sums[i] / counts[i];
        for (var i = 0; i < season; i++) indices[i] /= total / season;
        return indices;
    }
}
