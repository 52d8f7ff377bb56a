using Forecasting.Domain;
using Forecasting.Tests.Shared;
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

    [Fact]
    public void Stepwise_finds_the_simulated_model_with_fewer_fits_than_the_grid()
    {
        var truth = new SarimaSpec(1, 0, 0, 0, 1, 1, 4);
        var y = SarimaSimulator.Simulate(truth, [0.7, -0.6, 1.0], 240, 8);
        var options = new AutoSarimaOptions(Differences: 0, SeasonalDifferences: 1);
        var grid = AutoSarima.Search(y, 4, options);
        var stepwise = AutoSarima.Search(y, 4, options with { Search = AutoSarimaSearch.Stepwise });

        Assert.Equal(81, grid.Candidates.Count);
        Assert.True(stepwise.Candidates.Count < grid.Candidates.Count / 2, $"{stepwise.Candidates.Count} fits");
        Assert.Equal(stepwise.Candidates.Count, stepwise.Candidates.Select(c => c.Spec).Distinct().Count());
        // Every stepwise candidate is a grid candidate with the same score: same fits, fewer of them.
        var gridScores = grid.Candidates.ToDictionary(c => c.Spec, c => c.Aicc);
        Assert.All(stepwise.Candidates, c => Assert.Equal(gridScores[c.Spec], c.Aicc));
        Assert.Equal(grid.BestSpec, stepwise.BestSpec);
        Assert.Equal(grid.Best.Aicc, stepwise.Best.Aicc);
    }

    /// <summary>CTA rail 2019-01..05 (the chapter's series): the stepwise walk ends on the grid's winner.</summary>
    [CtaFact]
    public void Stepwise_matches_the_grid_on_cta_rail()
    {
        var rail = CtaRailSeries.Between(new DateOnly(2019, 1, 1), new DateOnly(2019, 5, 31));
        var grid = AutoSarima.Search(rail, 7);
        var stepwise = AutoSarima.Search(rail, 7, new AutoSarimaOptions(Search: AutoSarimaSearch.Stepwise));

        Assert.Equal(324, grid.Candidates.Count);
        Assert.Equal(new SarimaSpec(2, 1, 1, 0, 1, 1, 7), grid.BestSpec);
        Assert.Equal(grid.BestSpec, stepwise.BestSpec);
        Assert.Equal(grid.Best.Aicc, stepwise.Best.Aicc);
        Assert.True(stepwise.Candidates.Count < 100, $"{stepwise.Candidates.Count} fits");
    }
}
