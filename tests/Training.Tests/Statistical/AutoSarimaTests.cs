using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

public sealed class AutoSarimaTests
{
    [Fact]
    public void Picks_the_lowest_aicc_and_reports_every_candidate()
    {
        var truth = new SarimaSpec(1, 0, 0, 0, 1, 1, 4);
        var y = SarimaSimulator.Simulate(truth, [0.7, -0.6, 1.0], 240, 8);
        var result = AutoSarima.Search(y, 4, new AutoSarimaOptions(MaxArOrder: 1, MaxMaOrder: 1, MaxSeasonalArOrder: 1, MaxSeasonalMaOrder: 1, Differences: 0, SeasonalDifferences: 1));

        Assert.Equal(16, result.Candidates.Count);
        var best = result.Candidates.Where(c => c.Succeeded).MinBy(c => c.Aicc!.Value)!;
        Assert.Equal(best.Spec, result.BestSpec);
        Assert.Equal(best.Aicc, result.Best.Aicc);
        Assert.Equal(1, result.BestSpec.ArOrder);
        Assert.Equal(1, result.BestSpec.SeasonalMaOrder);
    }

    [Fact]
    public void Candidates_too_large_for_the_series_are_skipped_with_a_reason()
    {
        var y = SarimaSimulator.Simulate(new SarimaSpec(1, 0, 0), [0.5, 1.0], 24, 2);
        var result = AutoSarima.Search(y, 12);
        Assert.Equal(3 * 3 * 3 * 3 * 4, result.Candidates.Count);
        Assert.Contains(result.Candidates, c => c.Failure is { } f && f.StartsWith("Skipped:") && f.Contains("needs at least"));
        Assert.True(result.Best.Spec.MinimumObservations <= 24);
    }

    [Fact]
    public void Without_a_season_only_non_seasonal_models_are_tried()
    {
        var y = SarimaSimulator.Simulate(new SarimaSpec(0, 1, 1), [0.4, 1.0], 120, 4);
        var result = AutoSarima.Search(y, season: 0, new AutoSarimaOptions(Differences: 1));
        Assert.Equal(9, result.Candidates.Count);
        Assert.All(result.Candidates, c => Assert.False(c.Spec.HasSeasonalTerms));
    }
}
