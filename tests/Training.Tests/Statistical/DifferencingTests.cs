using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>ndiffs / nsdiffs against R's forecast 8.20 on classic series (tests/Reference/ndiffs.R).</summary>
public sealed class DifferencingTests
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("ndiffs.json");

    public static TheoryData<string> Series() => [.. Fixture.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    public static TheoryData<string> SeasonalSeries() =>
        [.. Fixture.GetProperty("series").EnumerateArray().Where(s => s.GetProperty("season").GetInt32() > 1).Select(s => s.GetProperty("name").GetString()!)];

    internal static JsonElement Entry(string name) => Fixture.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    internal static double[] Values(JsonElement entry) => [.. entry.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];

    [Theory]
    [MemberData(nameof(Series))]
    public void Kpss_statistics_and_ndiffs_match_R(string name)
    {
        var entry = Entry(name);
        var x = Values(entry);
        var expected = entry.GetProperty("kpss").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var d = 0; d < expected.Length; d++)
        {
            var differenced = x;
            for (var i = 0; i < d; i++) differenced = [.. differenced.Skip(1).Zip(differenced, (a, b) => a - b)];
            Assert.Equal(expected[d], Differencing.KpssStatistic(differenced), expected[d] * 1e-10);
        }
        Assert.Equal(entry.GetProperty("ndiffs").GetInt32(), Differencing.Ndiffs(x));
    }

    [Theory]
    [MemberData(nameof(SeasonalSeries))]
    public void Seasonal_strength_and_nsdiffs_match_R(string name)
    {
        var entry = Entry(name);
        var x = Values(entry);
        var season = entry.GetProperty("season").GetInt32();
        Assert.Equal(entry.GetProperty("seasonalStrength").GetDouble(), Differencing.SeasonalStrength(x, season), 1e-10);
        Assert.Equal(entry.GetProperty("nsdiffs").GetInt32(), Differencing.Nsdiffs(x, season));
    }

    [Fact]
    public void A_constant_series_needs_no_differencing_and_a_short_one_no_seasonal_difference()
    {
        Assert.Equal(0, Differencing.Ndiffs(Enumerable.Repeat(3.0, 50).ToArray()));
        Assert.Equal(0, Differencing.Nsdiffs(Enumerable.Range(0, 24).Select(i => (double)(i % 12)).ToArray(), 12));
        Assert.Equal(1, Differencing.Ndiffs(Enumerable.Range(0, 50).Select(i => (double)i).ToArray()));
    }
}
