using Forecasting.Domain;

namespace Forecasting.Domain.Tests;

public sealed class ForecastMetricsTests
{
    private const int Digits = 9;

    /// <summary>rail: step 1 errors +10 (actual 100), -10 (actual 200); step 2 error +30 (actual 100). bus: step 1 error -10 (actual 50).</summary>
    private static MetricSet Example()
    {
        var accumulator = new ForecastErrorAccumulator();
        accumulator.Add("rail", 1, 100, 110);
        accumulator.Add("rail", 1, 200, 190);
        accumulator.Add("rail", 2, 100, 130);
        accumulator.Add("bus", 1, 50, 40);
        Assert.Equal(4, accumulator.Count);
        return accumulator.ToMetrics()!;
    }

    [Fact]
    public void Computes_each_targets_figures_over_all_steps()
    {
        var rail = Example().ByTarget["rail"];
        Assert.Equal(50.0 / 3, rail.Mae, Digits);
        Assert.Equal(1100.0 / 3, rail.Mse, Digits);
        Assert.Equal(Math.Sqrt(1100.0 / 3), rail.Rmse, Digits);
        Assert.Equal(15.0, rail.Mape!.Value, Digits); // (10% + 5% + 30%) / 3
        Assert.Equal(3, rail.Count);
        var bus = Example().ByTarget["bus"];
        Assert.Equal((10.0, 100.0, 10.0, 20.0, 1), (bus.Mae, bus.Mse, bus.Rmse, bus.Mape!.Value, bus.Count));
    }

    [Fact]
    public void Computes_figures_per_horizon_step()
    {
        var rail = Example().ByTarget["rail"].PerHorizon;
        Assert.Equal([1, 2], rail.Select(h => h.Step));
        Assert.Equal((10.0, 100.0, 10.0, 2), (rail[0].Mae, rail[0].Mse, rail[0].Rmse, rail[0].Count));
        Assert.Equal(7.5, rail[0].Mape!.Value, Digits);
        Assert.Equal((30.0, 900.0, 30.0, 30.0, 1), (rail[1].Mae, rail[1].Mse, rail[1].Rmse, rail[1].Mape!.Value, rail[1].Count));
    }

    [Fact]
    public void Top_level_figures_average_the_targets()
    {
        var metrics = Example();
        Assert.Equal((50.0 / 3 + 10) / 2, metrics.Mae, Digits);
        Assert.Equal((1100.0 / 3 + 100) / 2, metrics.Mse, Digits);
        Assert.Equal((Math.Sqrt(1100.0 / 3) + 10) / 2, metrics.Rmse, Digits);
        Assert.Equal(17.5, metrics.Mape!.Value, Digits);
        Assert.Equal(4, metrics.Count);
        // Per horizon: step 1 averages rail's and bus's step-1 figures; step 2 is rail's alone.
        Assert.Equal((10.0, 100.0, 3), (metrics.PerHorizon[0].Mae, metrics.PerHorizon[0].Mse, metrics.PerHorizon[0].Count));
        Assert.Equal(13.75, metrics.PerHorizon[0].Mape!.Value, Digits);
        Assert.Equal((30.0, 1), (metrics.PerHorizon[1].Mae, metrics.PerHorizon[1].Count));
        Assert.Equal(["rail", "bus"], metrics.ByTarget.Keys);
    }

    [Fact]
    public void Mape_is_null_when_every_actual_is_zero_and_zero_actuals_are_left_out_of_it()
    {
        var zeros = new ForecastErrorAccumulator();
        zeros.Add("v", 1, 0, 1);
        Assert.Null(zeros.ToMetrics()!.Mape);

        var mixed = new ForecastErrorAccumulator();
        mixed.Add("v", 1, 0, 1);
        mixed.Add("v", 1, 10, 11);
        var metrics = mixed.ToMetrics()!;
        Assert.Equal(10.0, metrics.Mape!.Value, Digits);
        Assert.Equal(1.0, metrics.Mae, Digits);
    }

    [Fact]
    public void Wape_and_bias_per_target_step_and_overall()
    {
        var metrics = Example();
        var rail = metrics.ByTarget["rail"];
        Assert.Equal(50.0 / 400, rail.Wape!.Value, Digits); // (10 + 10 + 30) / (100 + 200 + 100)
        Assert.Equal(10.0, rail.Bias!.Value, Digits);      // (10 − 10 + 30) / 3: over-forecast
        Assert.Equal(20.0 / 300, rail.PerHorizon[0].Wape!.Value, Digits);
        Assert.Equal(0.0, rail.PerHorizon[0].Bias!.Value, Digits);
        Assert.Equal((30.0 / 100, 30.0), (rail.PerHorizon[1].Wape!.Value, rail.PerHorizon[1].Bias!.Value));
        var bus = metrics.ByTarget["bus"];
        Assert.Equal((10.0 / 50, -10.0), (bus.Wape!.Value, bus.Bias!.Value));
        // The top level averages the targets, as MAE does.
        Assert.Equal((0.125 + 0.2) / 2, metrics.Wape!.Value, Digits);
        Assert.Equal(0.0, metrics.Bias!.Value, Digits);
        Assert.Equal(0, metrics.MapeSkippedZeros);
    }

    [Fact]
    public void Mape_counts_the_zero_actuals_it_skipped_and_wape_does_not_skip_them()
    {
        var accumulator = new ForecastErrorAccumulator();
        accumulator.Add("v", 1, 0, 1);
        accumulator.Add("v", 1, 10, 11);
        accumulator.Add("v", 2, 0, 3);
        var metrics = accumulator.ToMetrics()!;
        Assert.Equal(10.0, metrics.Mape!.Value, Digits);
        Assert.Equal(2, metrics.MapeSkippedZeros);
        Assert.Equal(2, metrics.ByTarget["v"].MapeSkippedZeros);
        Assert.Equal((1, 1), (metrics.PerHorizon[0].MapeSkippedZeros, metrics.PerHorizon[1].MapeSkippedZeros));
        Assert.Equal(5.0 / 10, metrics.Wape!.Value, Digits); // (1 + 1 + 3) / (0 + 10 + 0)
        Assert.Null(metrics.PerHorizon[1].Wape);              // every actual 0 at step 2
        Assert.Equal(5.0 / 3, metrics.Bias!.Value, Digits);
    }

    [Fact]
    public void Seasonal_naive_scale_is_the_in_sample_mae_at_the_season_lag()
    {
        Assert.Equal(2.0, ForecastErrorAccumulator.SeasonalNaiveScale([1, 3, 2, 6], 2)); // (|2 − 1| + |6 − 3|) / 2
        Assert.Equal(7.0 / 3, ForecastErrorAccumulator.SeasonalNaiveScale([1, 3, 2, 6], 1)!.Value, Digits); // (|3 − 1| + |2 − 3| + |6 − 2|) / 3
    }

    [Fact]
    public void Seasonal_naive_scale_is_null_when_too_short_or_exact()
    {
        Assert.Null(ForecastErrorAccumulator.SeasonalNaiveScale([1, 3], 2));
        Assert.Null(ForecastErrorAccumulator.SeasonalNaiveScale([5, 5, 5, 5], 2));
        Assert.Equal(4.0, ForecastErrorAccumulator.SeasonalNaiveScale([10, double.NaN, 14, 7], 2)); // the NaN pair is left out
    }

    [Fact]
    public void Mase_is_the_mean_over_series_of_each_series_mae_over_its_scale()
    {
        var accumulator = new ForecastErrorAccumulator();
        accumulator.SetMaseScale("a", "y", 2, ForecastErrorAccumulator.SeasonalNaiveScale([1, 3, 2, 6], 2));  // 2
        accumulator.SetMaseScale("b", "y", 2, ForecastErrorAccumulator.SeasonalNaiveScale([5, 5, 5, 5], 2));  // none: exact
        accumulator.SetMaseScale("c", "y", 2, ForecastErrorAccumulator.SeasonalNaiveScale([10, 0, 14], 2));   // 4
        accumulator.Add("y", 1, 8, 10, "a");  // |e| 2
        accumulator.Add("y", 2, 9, 5, "a");   // |e| 4: a's MAE 3, MASE 1.5
        accumulator.Add("y", 1, 5, 6, "b");   // no scale: left out of MASE, not of MAE
        accumulator.Add("y", 1, 12, 10, "c"); // |e| 2: c's MASE 0.5
        var metrics = accumulator.ToMetrics()!;
        var y = metrics.ByTarget["y"];
        Assert.Equal((1.5 + 0.5) / 2, y.Mase!.Value, Digits);
        Assert.Equal((3, 2), (y.Series, y.MaseSeries));
        Assert.Equal((2.0 / 2 + 2.0 / 4) / 2, y.PerHorizon[0].Mase!.Value, Digits);
        Assert.Equal(4.0 / 2, y.PerHorizon[1].Mase!.Value, Digits);
        Assert.Equal((1.0, 2, 3), (metrics.Mase!.Value, metrics.MaseSeason!.Value, metrics.Series!.Value));
        Assert.Equal((2 + 4 + 1 + 2) / 4.0, metrics.Mae, Digits);
    }

    [Fact]
    public void Without_series_or_scales_there_is_no_mase()
    {
        Assert.Null(Example().Mase);
        Assert.Null(Example().Series);
        var unscaled = new ForecastErrorAccumulator();
        unscaled.Add("y", 1, 1, 2, "a");
        var metrics = unscaled.ToMetrics()!;
        Assert.Null(metrics.Mase);
        Assert.Equal(1, metrics.Series);
    }

    [Fact]
    public void Rejects_bad_input_and_gives_null_when_empty()
    {
        var accumulator = new ForecastErrorAccumulator();
        Assert.Null(accumulator.ToMetrics());
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add("v", 0, 1, 1));
        Assert.Throws<ArgumentException>(() => accumulator.Add("v", 1, double.NaN, 1));
    }
}

public sealed class IntervalMetricsTests
{
    [Fact]
    public void Coverage_and_winkler_score_per_level_and_target()
    {
        var accumulator = new ForecastErrorAccumulator();
        // 80%: α = 0.2, penalty 2/α = 10 per unit outside. Inside [90, 110]: score 20; actual 85 is 5 below: 20 + 50.
        accumulator.Add("rail", 1, 100, 100);
        accumulator.AddInterval("rail", 80, 100, 90, 110);
        accumulator.Add("rail", 1, 85, 100);
        accumulator.AddInterval("rail", 80, 85, 90, 110);
        accumulator.Add("bus", 1, 10, 10);
        accumulator.AddInterval("bus", 80, 10, 9, 11);
        var metrics = accumulator.ToMetrics()!;
        Assert.Equal(0.5, metrics.ByTarget["rail"].Coverage!["80"]);
        Assert.Equal(45.0, metrics.ByTarget["rail"].IntervalScore!["80"], 9);
        Assert.Equal(1.0, metrics.ByTarget["bus"].Coverage!["80"]);
        Assert.Equal(0.75, metrics.Coverage!["80"]); // the targets' average, as the errors
        Assert.Equal((45.0 + 2.0) / 2, metrics.IntervalScore!["80"], 9);
    }

    [Fact]
    public void Gaussian_intervals_at_known_quantiles_cover_their_level()
    {
        // Standard normal actuals against the exact 80% and 95% quantiles: coverage converges to the level.
        var random = new Random(3);
        var accumulator = new ForecastErrorAccumulator();
        for (var i = 0; i < 200_000; i++)
        {
            var y = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            accumulator.Add("y", 1, y, 0);
            accumulator.AddInterval("y", 80, y, -1.2815515655446004, 1.2815515655446004);
            accumulator.AddInterval("y", 95, y, -1.959963984540054, 1.959963984540054);
        }
        var coverage = accumulator.ToMetrics()!.Coverage!;
        Assert.InRange(coverage["80"], 0.797, 0.803);
        Assert.InRange(coverage["95"], 0.948, 0.952);
    }
}
