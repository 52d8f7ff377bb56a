using Forecasting.Training.Models;

namespace Forecasting.Training.Tests.Models;

public sealed class ConformalCalibrationTests
{
    [Fact]
    public void Quantile_is_the_finite_sample_corrected_order_statistic()
    {
        // Scores 1..19: the 80% quantile is the ⌈20·0.8⌉ = 16th smallest, the 95% one the 19th.
        var sample = ScoreSample.From(Enumerable.Range(1, 19).Select(i => (double)i).Reverse().ToList());
        Assert.Equal(16, sample.Quantile(80));
        Assert.Equal(19, sample.Quantile(95));
        Assert.Equal(19, sample.Quantile(99)); // past the largest rank: the largest score
    }

    [Fact]
    public void Calibration_on_gaussian_errors_recovers_the_normal_quantiles_and_covers_new_errors()
    {
        var random = new Random(5);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        // Spread 2 at step 1 and 4 at step 2: the scores are standard normal in both, so their quantiles agree.
        var validation = Enumerable.Range(0, 5000).SelectMany(_ => new[]
        {
            new ScoredForecast("y", 1, 2 * Gaussian(), 0, 2),
            new ScoredForecast("y", 2, 4 * Gaussian(), 0, 4),
        }).ToList();
        var calibration = ConformalCalibration.From(validation)!;
        Assert.InRange(calibration.Quantile("y", 1, 95), 1.90, 2.02);
        Assert.InRange(calibration.Quantile("y", 2, 80), 1.24, 1.32);
        Assert.Equal(calibration.Quantile("y", 2, 80), calibration.Quantile("y", 5, 80)); // later steps use the last calibrated one

        var test = Enumerable.Range(0, 5000).Select(_ => new ScoredForecast("y", 1, 2 * Gaussian(), 0, 2)).ToList();
        var metrics = IntervalScoring.Metrics(test, calibration, [80, 95])!;
        Assert.InRange(metrics.Coverage!["80"], 0.78, 0.82);
        Assert.InRange(metrics.Coverage!["95"], 0.94, 0.96);
    }

    [Fact]
    public void Large_samples_are_kept_as_a_quantile_grid_with_the_same_quantiles()
    {
        var scores = Enumerable.Range(0, 100_000).Select(i => i / 100_000.0).ToList();
        var sample = ScoreSample.From(scores);
        Assert.Equal(ScoreSample.MaxPoints, sample.Points.Length);
        Assert.Equal(0.8, sample.Quantile(80), 3);
        Assert.Equal(0.95, sample.Quantile(95), 3);
    }

    [Fact]
    public void Calibration_over_many_chunks_of_scores_is_the_sample_of_all_of_them_and_an_empty_step_borrows_the_one_before()
    {
        // 20,000 scores per step (several of the calibration's chunks), in no order; step 3 has none.
        var random = new Random(11);
        var rows = Enumerable.Range(0, 20_000).SelectMany(_ => new[]
        {
            new ScoredForecast("y", 1, random.NextDouble(), 0, 1),
            new ScoredForecast("y", 2, 3 * random.NextDouble(), 0, 2),
            new ScoredForecast("y", 4, random.NextDouble(), 0, 0.5),
        }).ToList();
        var calibration = ConformalCalibration.From(rows)!;
        ScoreSample Expected(int step, double spread) =>
            ScoreSample.From(rows.Where(r => r.Step == step).Select(r => Math.Abs(r.Actual - r.Mean) / spread).ToList());
        var steps = calibration.Targets["y"];
        Assert.Equal(4, steps.Length);
        Assert.Equal(Expected(1, 1).Points, steps[0].Points);
        Assert.Equal(Expected(2, 2).Points, steps[1].Points);
        Assert.Equal(steps[1].Points, steps[2].Points);
        Assert.Equal(20_000, steps[2].Count);
        Assert.Equal(Expected(4, 0.5).Points, steps[3].Points);
    }
}
