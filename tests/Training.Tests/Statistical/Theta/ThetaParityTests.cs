using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical.Theta;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Theta;

/// <summary>
/// The theta kind against R's <c>forecast::thetaf()</c> (tests/Reference/theta.R): classic series with the end held
/// out; the seasonality decision equal, point forecasts and 80/95% bounds within 1%.
/// </summary>
public sealed class ThetaParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases() => [.. ReferenceFixture.Load("theta.json").GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static JsonElement Case(string name) =>
        ReferenceFixture.Load("theta.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static double[] Numbers(JsonElement c, string property) => [.. c.GetProperty(property).EnumerateArray().Select(v => v.GetDouble())];

    /// <summary>The largest deviation from R's values, in percent of R's.</summary>
    private static double MaxPercent(double[] ours, double[] r) => ours.Zip(r, (o, e) => Math.Abs(o - e) / Math.Abs(e) * 100).Max();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forecasts_and_intervals_match_thetaf(string name)
    {
        var c = Case(name);
        var training = Numbers(c, "train");
        var horizon = c.GetProperty("horizon").GetInt32();
        var fit = ThetaModel.Fit(training, c.GetProperty("season").GetInt32());

        Assert.Equal(c.GetProperty("seasonal").GetBoolean(), fit.Seasonal);
        if (c.GetProperty("statistic").ValueKind == JsonValueKind.Null) Assert.Null(fit.Statistic);
        else Assert.Equal(c.GetProperty("statistic").GetDouble(), fit.Statistic!.Value, 10);
        if (fit.Seasonal)
            Assert.All(Numbers(c, "seasonalIndices").Zip(fit.SeasonalIndices), p => Assert.Equal(p.First, p.Second, 12));
        Assert.Equal(c.GetProperty("drift").GetDouble(), fit.Drift, 1e-9 * Math.Max(1, Math.Abs(fit.Drift)));
        // The least-squares SES fit is at least as good as R's Nelder–Mead stop, and within a hair of it.
        var rVariance = c.GetProperty("sigma2").GetDouble();
        Assert.InRange(fit.Variance, rVariance * (1 - 1e-4), rVariance * (1 + 1e-12));

        var (mean, variance) = fit.Forecast(training, horizon);
        var z80 = 1.2815515655446004;
        var z95 = 1.959963984540054;
        double[] Bound(double z) => [.. mean.Select((m, k) => m + z * Math.Sqrt(variance[k]))];
        var deviations = new Dictionary<string, double>
        {
            ["mean"] = MaxPercent(mean, Numbers(c, "mean")),
            ["lower80"] = MaxPercent(Bound(-z80), Numbers(c, "lower80")),
            ["upper80"] = MaxPercent(Bound(z80), Numbers(c, "upper80")),
            ["lower95"] = MaxPercent(Bound(-z95), Numbers(c, "lower95")),
            ["upper95"] = MaxPercent(Bound(z95), Numbers(c, "upper95")),
        };
        output.WriteLine($"{name}: alpha {fit.Alpha:R} (R {c.GetProperty("alpha").GetDouble():R}), level0 {fit.InitialLevel:R} (R {c.GetProperty("level0").GetDouble():R}), sigma2 {fit.Variance:R} (R {c.GetProperty("sigma2").GetDouble():R})");
        output.WriteLine($"{name}: max deviation % " + string.Join(", ", deviations.Select(d => $"{d.Key} {d.Value:0.#####}")));
        Assert.All(deviations, d => Assert.True(d.Value < 1, $"{d.Key} deviates {d.Value:0.###}% from thetaf"));
    }
}
