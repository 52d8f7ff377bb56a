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
        var result = AutoSarima.Search(y, 4, new AutoSarimaOptions(MaxArOrder: 1, MaxMaOrder: 1, MaxSeasonalArOrder: 1, MaxSeasonalMaOrder: 1,
            Differences: 0, SeasonalDifferences: 1, IncludeConstant: false, Search: AutoSarimaSearch.Grid, Approximation: AutoSarimaApproximation.Never));

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
        var result = AutoSarima.Search(y, 12, new AutoSarimaOptions(Differences: 0, SeasonalDifferences: 1, Search: AutoSarimaSearch.Grid));
        // R's caps on 24 points: P = Q = 0 (a third of two seasons), p + q ≤ 5, with and without a drift.
        Assert.Equal(21 * 2, result.Candidates.Count);
        Assert.Contains(result.Candidates, c => c.Failure is { } f && f.StartsWith("Skipped:") && f.Contains("needs at least"));
        Assert.True(result.Best.Spec.MinimumObservations <= 24);
    }

    [Fact]
    public void Without_a_season_only_non_seasonal_models_are_tried()
    {
        var y = SarimaSimulator.Simulate(new SarimaSpec(0, 1, 1), [0.4, 1.0], 120, 4);
        var result = AutoSarima.Search(y, season: 0);
        Assert.Equal(1, result.BestSpec.Differences);
        Assert.All(result.Candidates, c => Assert.False(c.Spec.HasSeasonalTerms));
    }

    [Fact]
    public void Stepwise_finds_the_grid_model_with_fewer_fits()
    {
        var truth = new SarimaSpec(1, 0, 0, 0, 1, 1, 4);
        var y = SarimaSimulator.Simulate(truth, [0.7, -0.6, 1.0], 240, 8);
        var options = new AutoSarimaOptions(MaxArOrder: 2, MaxMaOrder: 2, MaxOrder: 8, Differences: 0, SeasonalDifferences: 1, IncludeConstant: false,
            Search: AutoSarimaSearch.Grid, Approximation: AutoSarimaApproximation.Never);
        var grid = AutoSarima.Search(y, 4, options);
        var stepwise = AutoSarima.Search(y, 4, options with { Search = AutoSarimaSearch.Stepwise });

        Assert.Equal(81, grid.Candidates.Count);
        Assert.True(stepwise.Candidates.Count < grid.Candidates.Count, $"{stepwise.Candidates.Count} fits");
        Assert.Equal(stepwise.Candidates.Count, stepwise.Candidates.Select(c => c.Spec).Distinct().Count());
        // Every stepwise candidate is a grid candidate with the same score: same fits, fewer of them.
        var gridScores = grid.Candidates.ToDictionary(c => c.Spec, c => c.Aicc);
        Assert.All(stepwise.Candidates, c => Assert.Equal(gridScores[c.Spec], c.Aicc));
        Assert.Equal(grid.BestSpec, stepwise.BestSpec);
        Assert.Equal(grid.Best.Aicc, stepwise.Best.Aicc);
    }

    [Fact]
    public void The_choice_does_not_depend_on_the_degree_of_parallelism()
    {
        var y = DifferencingTests.Values(DifferencingTests.Entry("USAccDeaths"));
        var serial = AutoSarima.Search(y, 12, new AutoSarimaOptions(MaxDegreeOfParallelism: 1));
        var parallel = AutoSarima.Search(y, 12, new AutoSarimaOptions(MaxDegreeOfParallelism: 4));
        Assert.Equal(serial.BestSpec, parallel.BestSpec);
        Assert.Equal(serial.Best.Aicc, parallel.Best.Aicc);
        // In parallel a few neighbours are fitted ahead and may go unused; every model the serial walk fitted is among them.
        var parallelScores = parallel.Candidates.ToDictionary(c => c.Spec, c => c.Aicc);
        Assert.All(serial.Candidates, c => Assert.Equal(c.Aicc, parallelScores[c.Spec]));
    }

    public static TheoryData<string> ReferenceSeries() => DifferencingTests.Series();

    /// <summary>
    /// On the training part of each classic series (tests/Reference/ndiffs.R) we take R's d and D and choose R's model,
    /// or one whose AICc (by our likelihood) is within 3 of R's model fitted by us. The exact likelihoods differ a
    /// little (statsmodels' exact diffuse Kalman filter against R's arima), so the stepwise walks on short series can
    /// stop at different local minima, and on co2 R rejects refits near the 1.01 root limit that we accept (see
    /// <see cref="AutoSarimaApproximationTests"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(ReferenceSeries))]
    public void Chooses_R_auto_arima_model_or_one_as_good(string name)
    {
        var entry = DifferencingTests.Entry(name);
        var season = entry.GetProperty("season").GetInt32();
        var r = entry.GetProperty("autoArima");
        var train = DifferencingTests.Values(entry)[..^r.GetProperty("holdout").GetInt32()];
        var order = r.GetProperty("order").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var seasonalOrder = r.GetProperty("seasonalOrder").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var theirs = new SarimaSpec(order[0], order[1], order[2], seasonalOrder[0], seasonalOrder[1], seasonalOrder[2], season > 1 ? season : 0,
            r.GetProperty("constant").GetBoolean());

        var ours = AutoSarima.Search(train, season);

        Assert.Equal(theirs.Differences, ours.BestSpec.Differences);
        Assert.Equal(theirs.SeasonalDifferences, ours.BestSpec.SeasonalDifferences);
        Assert.Null(AutoSarima.Rejection(ours.Best));
        if (ours.BestSpec != theirs)
            Assert.True(ours.Best.Aicc <= SarimaEstimator.Fit(train, theirs).Aicc + 3, $"{ours.BestSpec} AICc {ours.Best.Aicc} against R's {theirs}");
    }

    /// <summary>The AirPassengers fit: SARIMA(1,1,0)(2,1,1)[12] with a seasonal MA of −0.986 is no longer chosen.</summary>
    [Fact]
    public void Air_passengers_gets_no_near_non_invertible_model()
    {
        var y = DifferencingTests.Values(DifferencingTests.Entry("AirPassengers"));
        var result = AutoSarima.Search(y, 12);
        Assert.NotEqual(new SarimaSpec(1, 1, 0, 2, 1, 1, 12), result.BestSpec);
        Assert.Null(AutoSarima.Rejection(result.Best));
        Assert.True(result.Best.Converged);
        var near = SarimaEstimator.Fit(y, new SarimaSpec(1, 1, 0, 2, 1, 1, 12));
        Assert.StartsWith("Rejected:", AutoSarima.Rejection(near));
    }

    [Theory]
    [InlineData(new[] { 0.5 }, true)]
    [InlineData(new[] { -0.995 }, false)]
    [InlineData(new[] { 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.986 }, false)]
    [InlineData(new[] { 0.0, 0.0, 0.0, -0.5 }, true)]
    [InlineData(new[] { -1.9, 0.9025 }, true)] // (1 − 0.95 z)², roots at 1.0526
    [InlineData(new[] { -1.99, 0.990025 }, false)] // (1 − 0.995 z)², roots at 1.005
    public void Roots_within_1_01_of_the_unit_circle_are_found(double[] coefficients, bool outside) =>
        Assert.Equal(outside, AutoSarima.RootsOutside(coefficients, AutoSarima.MinimumRootModulus));
}
