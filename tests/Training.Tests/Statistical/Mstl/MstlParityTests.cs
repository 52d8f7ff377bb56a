using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical;
using Forecasting.Training.Statistical.Mstl;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Mstl;

/// <summary>
/// Against R (tests/Reference/mstl.R): stats::stl on nottem and co2, forecast::mstl on taylor (seasons 48 and 336),
/// and stlf(method = "arima") on taylor. Differences are measured as the largest absolute difference over the series,
/// relative to the series' range (max − min).
/// </summary>
public sealed class MstlParityTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("mstl.json");

    private static double[] Values(JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static double RelativeDifference(double[] ours, double[] theirs, double[] series)
    {
        Assert.Equal(theirs.Length, ours.Length);
        var range = series.Max() - series.Min();
        return ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max() / range;
    }

    [Theory]
    [InlineData("nottem")]
    [InlineData("co2")]
    public void Stl_matches_stats_stl(string name)
    {
        var reference = Fixture.GetProperty("stl").GetProperty(name);
        var series = Values(reference.GetProperty("series"));
        var period = reference.GetProperty("period").GetInt32();
        var sWindow = reference.GetProperty("sWindow").GetInt32();
        Assert.Equal(reference.GetProperty("tWindow").GetInt32(), Stl.DefaultTrendWindow(period, sWindow));
        Assert.Equal(reference.GetProperty("lWindow").GetInt32(), Stl.DefaultLowPassWindow(period));

        var (seasonal, trend) = Stl.Decompose(series, period, sWindow);

        var seasonalDifference = RelativeDifference(seasonal, Values(reference.GetProperty("seasonal")), series);
        var trendDifference = RelativeDifference(trend, Values(reference.GetProperty("trend")), series);
        output.WriteLine($"{name}: seasonal {seasonalDifference:E2}, trend {trendDifference:E2} of the range");
        Assert.True(seasonalDifference < 1e-9, $"seasonal differs by {seasonalDifference:E2} of the range");
        Assert.True(trendDifference < 1e-9, $"trend differs by {trendDifference:E2} of the range");
    }

    [Fact]
    public void Mstl_on_taylor_matches_forecast_mstl()
    {
        var reference = Fixture.GetProperty("taylor");
        var series = Values(reference.GetProperty("series"));

        var decomposition = MstlDecomposition.Decompose(series, [48, 336]);

        var differences = new Dictionary<string, double>
        {
            ["trend"] = RelativeDifference(decomposition.Trend, Values(reference.GetProperty("trend")), series),
            ["seasonal48"] = RelativeDifference(decomposition.Seasonals[0], Values(reference.GetProperty("seasonal48")), series),
            ["seasonal336"] = RelativeDifference(decomposition.Seasonals[1], Values(reference.GetProperty("seasonal336")), series),
            ["remainder"] = RelativeDifference(decomposition.Remainder, Values(reference.GetProperty("remainder")), series),
        };
        foreach (var (component, difference) in differences)
        {
            output.WriteLine($"taylor {component}: {difference:E2} of the range");
            Assert.True(difference < 1e-9, $"{component} differs by {difference:E2} of the range (the issue asks 1%; the port is exact)");
        }
    }

    /// <summary>
    /// R's stlf chose ARIMA(1,1,3) for the adjusted series, outside our search's orders (p, q ≤ 2); with that order fitted
    /// by our likelihood on our adjusted series, the forecast and its 95% interval match R's.
    /// </summary>
    [Fact]
    public void Stlf_arima_forecast_matches_with_the_order_r_chose()
    {
        var reference = Fixture.GetProperty("stlfArima");
        var series = Values(Fixture.GetProperty("taylor").GetProperty("series"));
        var order = reference.GetProperty("order").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var horizon = reference.GetProperty("horizon").GetInt32();
        var decomposition = MstlDecomposition.Decompose(series, [48, 336]);
        var arima = SarimaEstimator.Fit(decomposition.SeasonallyAdjusted(), new SarimaSpec(order[0], order[1], order[2]));
        var forecaster = new MstlForecaster([48, 336], new SarimaForecaster(arima), MstlVarianceShares.Of(series, decomposition));

        var (mean, variance) = forecaster.Forecast(series, horizon);

        var rMean = Values(reference.GetProperty("mean"));
        var rUpper = Values(reference.GetProperty("upper95"));
        var meanDifference = mean.Zip(rMean, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();
        var halfWidth = Enumerable.Range(0, horizon).Select(k => Math.Abs(1.959963984540054 * Math.Sqrt(variance[k]) - (rUpper[k] - rMean[k])) / (rUpper[k] - rMean[k])).Max();
        output.WriteLine($"ARIMA({string.Join(",", order)}): {string.Join(", ", arima.ParameterNames.Zip(arima.Parameters, (n, v) => $"{n} {v:G6}"))}; " +
                         $"R: {reference.GetProperty("coefficients")}, sigma2 {reference.GetProperty("sigma2").GetDouble():G6}");
        output.WriteLine($"mean: largest relative difference {meanDifference:E2}; 95% half-width: {halfWidth:E2}");
        Assert.True(meanDifference < 0.01, $"forecast means differ by up to {meanDifference:P2}");
        Assert.True(halfWidth < 0.01, $"95% half-widths differ by up to {halfWidth:P2}");
    }

    /// <summary>Our own choice (stepwise AICc over p, q ≤ 2, d ≤ 1) on the same adjusted series, reported beside R's.</summary>
    [Fact]
    public void Stlf_arima_with_our_search_stays_near_r()
    {
        var reference = Fixture.GetProperty("stlfArima");
        var series = Values(Fixture.GetProperty("taylor").GetProperty("series"));
        var horizon = reference.GetProperty("horizon").GetInt32();

        var forecaster = MstlForecaster.Fit(series, [48, 336], MstlMethod.Arima, CancellationToken.None);
        var (mean, _) = forecaster.Forecast(series, horizon);

        var rMean = Values(reference.GetProperty("mean"));
        var difference = mean.Zip(rMean, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();
        var spec = ((SarimaForecaster)forecaster.Adjusted).Fit.Spec;
        output.WriteLine($"ours ARIMA({spec.ArOrder},{spec.Differences},{spec.MaOrder}) constant {spec.IncludeConstant}, R ARIMA({string.Join(",", reference.GetProperty("order").EnumerateArray())}); " +
                         $"mean: largest relative difference {difference:E2}");
        Assert.True(difference < 0.02, $"forecast means differ by up to {difference:P2}");
    }

    /// <summary>
    /// method: ets on R's own adjusted series: each additive model's AICc is R's or lower (R searches the initial states
    /// by Nelder–Mead, we solve them exactly), the additive-only choice is R's, and its forecast and 95% interval match.
    /// </summary>
    [Theory]
    [InlineData("ann", "None")]
    [InlineData("aan", "Additive")]
    [InlineData("aadn", "Damped")]
    public void Ets_on_the_adjusted_series_matches_r(string name, string trend)
    {
        var cases = Fixture.GetProperty("etsAdjusted");
        var adjusted = Values(cases.GetProperty("adjusted"));
        var reference = cases.GetProperty(name);
        var rAicc = reference.GetProperty("aicc").GetDouble();

        var ets = NonSeasonalEts.Fit(adjusted, Enum.Parse<NonSeasonalEts.TrendKind>(trend));

        output.WriteLine($"{ets.Name}: ours α {ets.Alpha:G6} β {ets.Beta:G6} φ {ets.Phi:G6} AICc {ets.Aicc:F3} σ² {ets.Sigma2:G6}; " +
                         $"R {reference.GetProperty("par")} AICc {rAicc:F3} σ² {reference.GetProperty("sigma2").GetDouble():G6}");
        Assert.Equal(reference.GetProperty("method").GetString(), ets.Name);
        Assert.True(ets.Aicc <= rAicc + 1e-3, $"AICc {ets.Aicc} above R's {rAicc}");
        Assert.True(ets.Aicc >= rAicc - 50, $"AICc {ets.Aicc} implausibly far below R's {rAicc}");
    }

    [Fact]
    public void Ets_additive_choice_and_forecast_match_r()
    {
        var cases = Fixture.GetProperty("etsAdjusted");
        var adjusted = Values(cases.GetProperty("adjusted"));
        var reference = cases.GetProperty("additiveOnly");
        var horizon = Fixture.GetProperty("stlfArima").GetProperty("horizon").GetInt32();

        var ets = NonSeasonalEts.Select(adjusted);
        var (mean, variance) = ets.Forecast(adjusted, horizon);

        Assert.Equal(reference.GetProperty("method").GetString(), ets.Name);
        var rMean = Values(reference.GetProperty("mean"));
        var rUpper = Values(reference.GetProperty("upper95"));
        var meanDifference = mean.Zip(rMean, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();
        var halfWidth = Enumerable.Range(0, horizon).Select(k => Math.Abs(1.959963984540054 * Math.Sqrt(variance[k]) - (rUpper[k] - rMean[k])) / (rUpper[k] - rMean[k])).Max();
        output.WriteLine($"{ets.Name}: mean largest relative difference {meanDifference:E2}; 95% half-width {halfWidth:E2}");
        Assert.True(meanDifference < 1e-4, $"means differ by up to {meanDifference:E2}");
        Assert.True(halfWidth < 0.01, $"95% half-widths differ by up to {halfWidth:P2}");
    }

    /// <summary>The whole of method: ets on taylor against stlf(method = "ets"), whose default also tries multiplicative errors (it picks ETS(M,N,N)).</summary>
    [Fact]
    public void Stlf_ets_forecast_stays_near_r_default()
    {
        var series = Values(Fixture.GetProperty("taylor").GetProperty("series"));
        var reference = Fixture.GetProperty("etsAdjusted").GetProperty("default");
        var horizon = Fixture.GetProperty("stlfArima").GetProperty("horizon").GetInt32();

        var forecaster = MstlForecaster.Fit(series, [48, 336], MstlMethod.Ets, CancellationToken.None);
        var (mean, variance) = forecaster.Forecast(series, horizon);

        var seasonal = MstlDecomposition.Decompose(series, [48, 336]).SeasonalForecast(horizon);
        var rMean = Values(reference.GetProperty("mean")).Select((m, k) => m + seasonal[k]).ToArray();
        var rHalf = Values(reference.GetProperty("upper95")).Zip(Values(reference.GetProperty("mean")), (u, m) => u - m).ToArray();
        var difference = mean.Zip(rMean, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();
        var halfWidth = Enumerable.Range(0, horizon).Select(k => Math.Abs(1.959963984540054 * Math.Sqrt(variance[k]) - rHalf[k]) / rHalf[k]).Max();
        output.WriteLine($"ours {((NonSeasonalEts)forecaster.Adjusted).Name}, R {reference.GetProperty("method").GetString()}: mean {difference:E2}, 95% half-width {halfWidth:E2}");
        Assert.True(difference < 1e-4, $"means differ by up to {difference:E2}");
        Assert.True(halfWidth < 0.05, $"95% half-widths differ by up to {halfWidth:P2}");
    }
}
