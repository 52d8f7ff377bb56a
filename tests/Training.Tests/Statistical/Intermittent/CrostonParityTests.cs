using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical.Intermittent;

namespace Forecasting.Training.Tests.Statistical.Intermittent;

/// <summary>Croston's method against R's forecast::croston (tests/Reference/croston.R → Fixtures/croston.json).</summary>
public sealed class CrostonParityTests
{
    private const double Tolerance = 1e-6; // relative, as the issue asks; the differences are at rounding level

    public static TheoryData<string, double> Cases()
    {
        var data = new TheoryData<string, double>();
        foreach (var c in ReferenceFixture.Load("croston.json").GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!, c.GetProperty("alpha").GetDouble());
        return data;
    }

    private static JsonElement Case(string name, double alpha) =>
        ReferenceFixture.Load("croston.json").GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name && c.GetProperty("alpha").GetDouble() == alpha);

    private static double[] Doubles(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(Math.Abs(expected), 1e-12), $"expected {expected}, got {actual}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classic_and_sba_forecasts_equal_rs(string name, double alpha)
    {
        var reference = Case(name, alpha);
        var values = Doubles(reference.GetProperty("values"));
        var horizon = reference.GetProperty("horizon").GetInt32();
        foreach (var (variant, key) in new[] { (CrostonVariant.Classic, "classic"), (CrostonVariant.Sba, "sba") })
        {
            var (mean, _) = CrostonModel.Fit(values, alpha, variant).Forecast(values, horizon);
            var expected = Doubles(reference.GetProperty(key));
            Assert.Equal(expected.Length, mean.Length);
            for (var k = 0; k < horizon; k++) Close(expected[k], mean[k]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forecasts_at_every_origin_equal_rs_fitted_values_and_the_variance_their_mean_squared_error(string name, double alpha)
    {
        var reference = Case(name, alpha);
        var values = Doubles(reference.GetProperty("values"));
        var fitted = Doubles(reference.GetProperty("fitted"));
        var model = CrostonModel.Fit(values, alpha, CrostonVariant.Classic);
        var origins = Enumerable.Range(1, values.Length - 1).ToList();
        var rows = model.ForecastAtOrigins(values, origins, 1);
        for (var o = 0; o < origins.Count; o++) Close(fitted[origins[o]], rows[o][0]);
        Close(reference.GetProperty("mse").GetDouble(), model.ResidualVariance);
    }
}
