namespace Forecasting.Domain;

/// <summary>
/// How interval coverage at one level spreads over the series of a panel: each series' share of actuals inside its
/// intervals, summarised by the minimum, 10th percentile, quartiles, 90th percentile and maximum (linear interpolation
/// between order statistics, as numpy's default), beside the pooled figure, which a panel of wide and narrow series can
/// meet while no single series does.
/// </summary>
public sealed record CoverageDistribution(int Series, double Min, double P10, double Q1, double Median, double Q3, double P90, double Max)
{
    /// <summary>The distribution of per-series coverages; null when there are none.</summary>
    public static CoverageDistribution? Of(IEnumerable<double> coverages)
    {
        var sorted = coverages.Order().ToArray();
        if (sorted.Length == 0) return null;
        return new CoverageDistribution(sorted.Length, sorted[0], Percentile(sorted, 10), Percentile(sorted, 25),
            Percentile(sorted, 50), Percentile(sorted, 75), Percentile(sorted, 90), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double percent)
    {
        var position = percent / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
