using Forecasting.Domain;
using Forecasting.Tests.Shared;

namespace Forecasting.Training.Tests.Models;

/// <summary>
/// The error metrics against R's forecast::accuracy() on held-out ends of classic series (tests/Reference/accuracy.R):
/// one origin, steps 1..h, so each figure is over the same pairs as R's test-set figure.
/// </summary>
public sealed class AccuracyReferenceTests
{
    public static TheoryData<string> Cases => new() { "AirPassengers", "UKgas", "USAccDeaths", "Nile" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mase_mae_bias_and_mape_equal_rs_accuracy(string name)
    {
        var r = ReferenceFixture.Load("accuracy.json").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var metrics = Accumulate([r]).ToMetrics()!;
        Assert.Equal(r.GetProperty("mase").GetDouble(), metrics.Mase!.Value, 1e-10);
        Assert.Equal(r.GetProperty("mae").GetDouble(), metrics.Mae, 1e-9);
        Assert.Equal(-r.GetProperty("me").GetDouble(), metrics.Bias!.Value, 1e-9); // R's error is actual − forecast
        Assert.Equal(r.GetProperty("mape").GetDouble(), metrics.Mape!.Value, 1e-9);
        Assert.Equal(r.GetProperty("season").GetInt32(), metrics.MaseSeason);
    }

    [Fact]
    public void A_panels_mase_is_the_mean_of_the_series_mase()
    {
        // Seasonal series only: MASE is scaled at one season per panel (the frequency's).
        var cases = ReferenceFixture.Load("accuracy.json").EnumerateArray().Where(c => c.GetProperty("season").GetInt32() == 12).ToList();
        var metrics = Accumulate(cases).ToMetrics()!;
        Assert.Equal(cases.Average(c => c.GetProperty("mase").GetDouble()), metrics.Mase!.Value, 1e-10);
        Assert.Equal(cases.Count, metrics.ByTarget["y"].MaseSeries);
    }

    private static ForecastErrorAccumulator Accumulate(IEnumerable<System.Text.Json.JsonElement> cases)
    {
        var accumulator = new ForecastErrorAccumulator();
        foreach (var c in cases)
        {
            var name = c.GetProperty("name").GetString()!;
            var season = c.GetProperty("season").GetInt32();
            var train = c.GetProperty("train").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            accumulator.SetMaseScale(name, "y", season, ForecastErrorAccumulator.SeasonalNaiveScale(train, season));
            var test = c.GetProperty("test").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var forecast = c.GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (var k = 0; k < test.Length; k++) accumulator.Add("y", k + 1, test[k], forecast[k], name);
        }
        return accumulator;
    }
}
