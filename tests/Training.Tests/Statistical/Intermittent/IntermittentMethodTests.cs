using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Intermittent;

namespace Forecasting.Training.Tests.Statistical.Intermittent;

/// <summary>
/// TSB, ADIDA and IMAPA against values worked by hand from the published recursions (R's forecast 8.20 has none of
/// them), with StatsForecast's conventions: smoothing starts at the first value, the first interval counts from before
/// the series, the aggregation level is the mean interval rounded half to even, an incomplete first bucket is dropped.
/// </summary>
public sealed class IntermittentMethodTests
{
    private static readonly double[] Demand = [0, 0, 4, 0, 0, 0, 6, 0, 0, 2];

    [Fact]
    public void Tsb_smooths_the_probability_every_step_and_the_size_at_demands()
    {
        double[] values = [0, 3, 0, 0, 5, 0];
        var model = TsbModel.Fit(values, demandAlpha: 0.5, probabilityAlpha: 0.2);

        // Probability 0, 0.2, 0.16, 0.128, 0.3024, 0.24192 after each step; size 3 after t = 1, 3 + 0.5·(5 − 3) = 4 after t = 4.
        Assert.Equal(0.24192 * 4, model.Forecast(values, 3).Mean[2], 12);
        double[] expected = [0, 0, 0.2 * 3, 0.16 * 3, 0.128 * 3, 0.3024 * 4, 0.24192 * 4];
        var forecasts = model.OneStepForecasts(values);
        for (var n = 0; n < expected.Length; n++) Assert.Equal(expected[n], forecasts[n], 12);
        // One-step errors at t = 1..5.
        var mse = (3.0 * 3 + 0.6 * 0.6 + 0.48 * 0.48 + (5 - 0.384) * (5 - 0.384) + 1.2096 * 1.2096) / 5;
        Assert.Equal(mse, model.ResidualVariance, 12);
    }

    [Fact]
    public void Tsb_decays_while_no_demand_comes_and_croston_does_not()
    {
        double[] values = [5, 0, 5, 0, 5, 0, 0, 0, 0, 0, 0, 0];
        var tsb = TsbModel.Fit(values, 0.1, 0.1).OneStepForecasts(values);
        var croston = CrostonModel.Fit(values, 0.1, Domain.CrostonVariant.Classic).OneStepForecasts(values);
        for (var n = 6; n < values.Length; n++)
        {
            Assert.True(tsb[n + 1] < tsb[n]);
            Assert.Equal(croston[n], croston[n + 1]);
        }
    }

    [Fact]
    public void Adida_smooths_bucket_sums_of_the_mean_interval_and_shares_them_equally()
    {
        // Demands at positions 3, 7, 10: mean interval 10/3 → level 3; the first value is dropped, buckets sum to 4, 6, 2.
        var model = AdidaModel.Fit(Demand, alpha: 0.2);
        Assert.Equal(3, model.Level);
        Assert.Equal((4 + 0.2 * (6 - 4) + 0.2 * (2 - 4.4)) / 3, model.Forecast(Demand, 2).Mean[1], 12);
    }

    [Fact]
    public void Adida_chooses_alpha_in_statsforecasts_bounds()
    {
        // Squared errors of the sums 4, 6, 2: (6 − 4)² + (2 − 4 − 2α)², increasing in α: the lower bound, 0.1.
        var model = AdidaModel.Fit(Demand, alpha: null);
        Assert.Equal(0.1, model.Alpha, 8);
        Assert.Equal(3.98 / 3, model.Forecast(Demand, 1).Mean[0], 7);
    }

    [Fact]
    public void Golden_section_finds_the_least_squares_alpha()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 20; trial++)
        {
            var values = Enumerable.Range(0, 40).Select(_ => random.NextDouble() < 0.4 ? 1 + random.Next(10) : 0.0).ToArray();
            var alpha = IntermittentDemand.OptimalAlpha(values);
            Assert.InRange(alpha, IntermittentDemand.LowestAlpha, IntermittentDemand.HighestAlpha);
            var best = Enumerable.Range(0, 2001).Select(i => 0.1 + 0.2 * i / 2000).Min(a => IntermittentDemand.SquaredErrors(values, a));
            Assert.True(IntermittentDemand.SquaredErrors(values, alpha) <= best * (1 + 1e-9)); // at a bound, within 1e-10 of it
        }
    }

    [Fact]
    public void The_aggregation_level_rounds_half_to_even_as_numpy()
    {
        Assert.Equal(2, IntermittentDemand.AggregationLevel([0, 1, 0, 0, 1])); // 5/2 = 2.5 → 2
        Assert.Equal(4, IntermittentDemand.AggregationLevel([0, 0, 1, 0, 0, 0, 0, 1])); // 8/2 = 3.5 → 4
        Assert.Equal(1, IntermittentDemand.AggregationLevel([3, 1, 2]));
    }

    [Fact]
    public void Imapa_averages_adida_over_levels_one_to_the_mean_interval()
    {
        var model = ImapaModel.Fit(Demand, alpha: 0.2);
        Assert.Equal(3, model.Levels);
        // Level 1: SES of the series from 0: …, 0.4096 after t = 5, then 1.52768, 1.222144, 0.9777152, 1.18217216.
        var one = 0.9777152 + 0.2 * (2 - 0.9777152);
        // Level 2: sums 0, 4, 0, 6, 2 → 0, 0.8, 0.64, 1.712, 1.7696; halved.
        var two = 1.7696 / 2;
        // Level 3: as ADIDA above.
        var three = (4.4 + 0.2 * (2 - 4.4)) / 3;
        Assert.Equal((one + two + three) / 3, model.Forecast(Demand, 1).Mean[0], 12);
    }

    [Fact]
    public void Forecasts_at_every_origin_equal_forecasts_from_each_prefix()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 90).Select(_ => random.NextDouble() < 0.25 ? random.Next(1, 20) : 0.0).ToArray();
        var adida = AdidaModel.Fit(values, null);
        var imapa = ImapaModel.Fit(values, null);
        var adidaRows = adida.OneStepForecasts(values);
        var imapaRows = imapa.OneStepForecasts(values);
        for (var n = imapa.Levels; n <= values.Length; n++)
        {
            var prefix = values[..n];
            Assert.Equal(IntermittentDemand.SmoothedLevel(IntermittentDemand.BucketSums(prefix, adida.Level), adida.Alpha) / adida.Level, adidaRows[n], 10);
            var mean = Enumerable.Range(1, imapa.Levels)
                .Average(k => IntermittentDemand.SmoothedLevel(IntermittentDemand.BucketSums(prefix, k), imapa.Alphas[k - 1]) / k);
            Assert.Equal(mean, imapaRows[n], 10);
        }
    }

    [Fact]
    public void A_history_with_negative_demand_is_the_clients_error()
    {
        var model = CrostonModel.Fit(Demand, 0.1, Domain.CrostonVariant.Classic);
        var error = Assert.Throws<ForecastInputException>(() => model.Forecast([1, 0, -2, 3], 4));
        Assert.Contains("-2", error.Message);
    }
}
