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
    public void Rejects_bad_input_and_gives_null_when_empty()
    {
        var accumulator = new ForecastErrorAccumulator();
        Assert.Null(accumulator.ToMetrics());
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add("v", 0, 1, 1));
        Assert.Throws<ArgumentException>(() => accumulator.Add("v", 1, double.NaN, 1));
    }
}
