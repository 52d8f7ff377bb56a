namespace Forecasting.Training.Statistical.Theta;

/// <summary>
/// R's <c>thetaf()</c> seasonality test: the autocorrelation at the season's lag against its 90% two-sided bound
/// under Bartlett's formula, |r_m| / √((1 + 2·Σ_{k&lt;m} r_k²) / n) &gt; z₀.₉₅. Tested only for a season above 1
/// on more than two seasons of a series that is not constant.
/// </summary>
public static class SeasonalityTest
{
    /// <summary>z₀.₉₅, R's <c>qnorm(0.95)</c>.</summary>
    public const double CriticalValue = 1.6448536269514722;

    /// <summary>The test statistic, or null where the test does not apply (season 1, two seasons or fewer, constant data).</summary>
    public static double? Statistic(ReadOnlySpan<double> y, int season)
    {
        var n = y.Length;
        if (season <= 1 || n <= 2 * season || IsConstant(y)) return null;
        double mean = 0;
        foreach (var v in y) mean += v;
        mean /= n;
        double denominator = 0;
        foreach (var v in y) denominator += (v - mean) * (v - mean);
        // R's acf: lag-k autocovariance over n, divided by the lag-0 one.
        double sumOfSquares = 0, atSeason = 0;
        for (var k = 1; k <= season; k++)
        {
            double covariance = 0;
            for (var t = 0; t + k < n; t++) covariance += (y[t] - mean) * (y[t + k] - mean);
            var r = covariance / denominator;
            if (k < season) sumOfSquares += r * r;
            else atSeason = r;
        }
        return Math.Abs(atSeason) / Math.Sqrt((1 + 2 * sumOfSquares) / n);
    }

    private static bool IsConstant(ReadOnlySpan<double> y)
    {
        foreach (var v in y)
            if (v != y[0]) return false;
        return true;
    }
}
