using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical.Ets;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Ets;

/// <summary>
/// Against R's forecast::ets() (tests/Reference/ets.R): on classic series with the end held out, the same model is
/// chosen and the point forecasts agree within 1%; fixed models reach R's likelihood.
/// </summary>
public sealed class EtsParityTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("ets.json");

    public static TheoryData<string> Cases() => [.. Fixture.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static double[] Numbers(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    private static JsonElement Case(string name) => Fixture.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static double MaxRelativeDeviation(double[] ours, double[] theirs) =>
        ours.Zip(theirs, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chooses_R_s_model_and_forecasts_within_one_percent(string name)
    {
        var reference = Case(name);
        var train = Numbers(reference, "train");
        var horizon = reference.GetProperty("horizon").GetInt32();
        var (best, candidates) = EtsSelection.Select(train, EtsModelChoice.Automatic, reference.GetProperty("season").GetInt32());
        var forecaster = new EtsForecaster(best, candidates);
        var (mean, variance) = forecaster.Forecast(train, horizon);

        var rMean = Numbers(reference, "mean");
        var upper95 = mean.Zip(variance, (m, v) => m + 1.959963984540054 * Math.Sqrt(v)).ToArray();
        var upper80 = mean.Zip(variance, (m, v) => m + 1.2815515655446004 * Math.Sqrt(v)).ToArray();
        var rHalf95 = Numbers(reference, "upper95").Zip(rMean, (u, m) => u - m).ToArray();
        var half95 = upper95.Zip(mean, (u, m) => u - m).ToArray();
        output.WriteLine($"{name}: ours {best.Model.Name} AICc {best.Aicc:F3}, R {reference.GetProperty("method").GetString()} AICc {reference.GetProperty("aicc").GetDouble():F3}; " +
            $"mean max dev {100 * MaxRelativeDeviation(mean, rMean):F4}%; 80% upper max dev {100 * MaxRelativeDeviation(upper80, Numbers(reference, "upper80")):F4}%; " +
            $"95% half-width max dev {100 * MaxRelativeDeviation(half95, rHalf95):F3}%");
        foreach (var c in reference.GetProperty("candidates").EnumerateArray())
        {
            var ours = candidates.SingleOrDefault(x => x.Model == c.GetProperty("model").GetString());
            output.WriteLine($"  {c.GetProperty("model").GetString()}: R {(c.TryGetProperty("aicc", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble().ToString("F3") : "-")} ours {ours?.Aicc?.ToString("F3") ?? "-"}");
        }

        Assert.Equal(reference.GetProperty("method").GetString(), best.Model.Name);
        Assert.True(MaxRelativeDeviation(mean, rMean) < 0.01, $"{name}: the point forecasts differ from R's by up to {100 * MaxRelativeDeviation(mean, rMean):F3}%.");
    }
}
