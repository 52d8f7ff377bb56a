using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Update;

/// <summary>
/// A SARIMA model brought up to date without refitting forecasts what statsmodels' <c>res.append(new, refit=False)</c>
/// forecasts (tests/Reference/sarima_append.py): the fitted parameters, kept fixed, filtered over the history with
/// 30 new observations appended. Our update keeps a model's parameters and filters the longer history, as statsmodels does.
/// </summary>
public sealed class SarimaAppendParityTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("sarima_append.json");

    [Fact]
    public void Log_air_passengers_updated_with_30_months_forecasts_as_statsmodels_append()
    {
        var reference = Fixture.GetProperty("airline");
        var series = Doubles(reference, "series");
        Check("log AirPassengers, SARIMA(0,1,1)(0,1,1,12)", reference, series);
    }

    [CtaFact]
    public void Cta_rail_updated_with_30_days_forecasts_as_statsmodels_append()
    {
        Assert.True(Fixture.TryGetProperty("cta", out var reference), "The fixture has no CTA case: run tests/Reference/sarima_append.py where ../shared/data/cta_ridership.csv exists.");
        var series = CtaRailSeries.Between(new DateOnly(2019, 1, 1), new DateOnly(2019, 6, 30));
        Check("CTA rail, SARIMA(1,0,0)(0,1,1,7)", reference, series);
    }

    private void Check(string name, JsonElement reference, double[] series)
    {
        var order = Ints(reference, "order");
        var seasonal = Ints(reference, "seasonalOrder");
        var spec = new SarimaSpec(order[0], order[1], order[2], seasonal[0], seasonal[1], seasonal[2], seasonal[3]);
        var (fitted, appended, horizon) = (reference.GetProperty("fittedLength").GetInt32(), reference.GetProperty("appended").GetInt32(), reference.GetProperty("horizon").GetInt32());
        Assert.Equal(fitted + appended, series.Length);
        var parameters = Doubles(reference, "parameters");
        Assert.Equal(parameters, Doubles(reference, "appendedParameters")); // the reference did not refit

        // statsmodels' parameters, fixed: before the update from the fitted span, after it from the longer series.
        var statsmodels = Fixed(spec, parameters, fitted);
        var before = statsmodels.Forecast(series.AsSpan(0, fitted), horizon);
        var after = statsmodels.Forecast(series, horizon);
        var worstMean = WorstRelative(after.Means, Doubles(reference, "appendedMean"));
        var worstVariance = WorstRelative(after.Variances, Doubles(reference, "appendedVariance"));
        output.WriteLine($"{name}: after {appended} appended, worst relative difference from statsmodels: means {worstMean:E2}, variances {worstVariance:E2}; " +
            $"before it: means {WorstRelative(before.Means, Doubles(reference, "fittedMean")):E2}");
        Assert.InRange(worstMean, 0, 1e-6);
        Assert.InRange(worstVariance, 0, 1e-6);
        Assert.InRange(WorstRelative(before.Means, Doubles(reference, "fittedMean")), 0, 1e-6);

        // Our own fit on the same span, then updated: its parameters are our estimator's, so the forecasts agree only as
        // closely as the two optimisers do (reported; bounded loosely).
        var ours = SarimaEstimator.Fit(series.AsSpan(0, fitted), spec);
        var oursAfter = ours.Forecast(series, horizon);
        var worstOurs = WorstRelative(oursAfter.Means, Doubles(reference, "appendedMean"));
        output.WriteLine($"{name}: our fit's parameters {string.Join(", ", ours.Parameters.Select(p => p.ToString("G6")))} (statsmodels {string.Join(", ", parameters.Select(p => p.ToString("G6")))}); " +
            $"its updated forecasts differ from statsmodels' by at most {worstOurs:E2} relative");
        Assert.InRange(worstOurs, 0, 1e-3);
    }

    /// <summary>A fit with the given parameters in the data's own scale, as statsmodels filters them.</summary>
    private static SarimaFit Fixed(SarimaSpec spec, double[] parameters, int observations) =>
        new(spec, parameters, new Lazy<double[]>(() => parameters.Select(_ => double.NaN).ToArray()), double.NaN, observations, observations, 1, 0, true);

    private static double WorstRelative(IReadOnlyList<double> actual, double[] expected) =>
        expected.Select((e, i) => Math.Abs(actual[i] - e) / Math.Abs(e)).Max();

    private static double[] Doubles(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static int[] Ints(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
