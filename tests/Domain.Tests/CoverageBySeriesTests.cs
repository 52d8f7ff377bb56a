using Forecasting.Domain;

namespace Forecasting.Domain.Tests;

/// <summary>Coverage per series: beside the pooled share, its distribution over the series (min, p10, quartiles, p90, max).</summary>
public sealed class CoverageBySeriesTests
{
    [Fact]
    public void The_distribution_interpolates_between_the_sorted_coverages()
    {
        // Sorted 0.25, 0.5, 0.75, 1, 1: p10 sits 0.4 of the way from the 1st to the 2nd, p90 3.6 of the way along (both 1 there).
        var d = CoverageDistribution.Of([0.5, 1.0, 0.75, 0.25, 1.0])!;
        Assert.Equal(new CoverageDistribution(5, 0.25, 0.35, 0.5, 0.75, 1.0, 1.0, 1.0), d);
        Assert.Null(CoverageDistribution.Of([]));
    }

    [Fact]
    public void Metrics_give_each_levels_coverage_by_series_beside_the_pooled_figure()
    {
        var accumulator = new ForecastErrorAccumulator();
        // Series a: 1 of 2 inside its 80% intervals; b: 2 of 2; c: 0 of 1. Pooled 3 of 5.
        accumulator.Add("y", 1, 10, 10);
        accumulator.AddInterval("y", 80, 10, 9, 11, "a");
        accumulator.AddInterval("y", 80, 20, 9, 11, "a");
        accumulator.AddInterval("y", 80, 1, 0, 2, "b");
        accumulator.AddInterval("y", 80, 2, 0, 2, "b");
        accumulator.AddInterval("y", 80, 5, 0, 2, "c");
        var metrics = accumulator.ToMetrics()!;
        Assert.Equal(0.6, metrics.Coverage!["80"], 12);
        // Sorted 0, 0.5, 1: p10 at 0.2 → 0.1, q1 at 0.5 → 0.25, median 0.5, q3 0.75, p90 at 1.8 → 0.9.
        var expected = new CoverageDistribution(3, 0, 0.1, 0.25, 0.5, 0.75, 0.9, 1);
        Assert.Equal(expected, metrics.CoverageBySeries!["80"]);
        Assert.Equal(expected, metrics.ByTarget["y"].CoverageBySeries!["80"]);
    }

    [Fact]
    public void Intervals_added_without_their_series_give_no_distribution()
    {
        var accumulator = new ForecastErrorAccumulator();
        accumulator.Add("y", 1, 10, 10);
        accumulator.AddInterval("y", 80, 10, 9, 11);
        var metrics = accumulator.ToMetrics()!;
        Assert.Equal(1, metrics.Coverage!["80"]);
        Assert.Null(metrics.CoverageBySeries);
        Assert.Null(metrics.ByTarget["y"].CoverageBySeries);
    }
}
