using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical.Ets;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Update;

/// <summary>
/// An ETS model brought up to date without refitting (tests/Reference/ets_append.R): its parameters and initial states
/// kept, the state recursion run over the longer series, as R's <c>ets(y, model = fit, use.initial.values = TRUE)</c>.
/// </summary>
public sealed class EtsAppendParityTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("ets_append.json");

    [Fact]
    public void Us_accidental_deaths_updated_with_30_months_forecast_as_R_with_the_initial_values_kept()
    {
        var series = Numbers("series");
        var (fitted, horizon) = (Fixture.GetProperty("fittedLength").GetInt32(), Fixture.GetProperty("horizon").GetInt32());
        var components = Fixture.GetProperty("components");
        Assert.Equal("ETS(M,N,M)", Fixture.GetProperty("method").GetString()); // the case the fixture was written for
        var model = new EtsModel(EtsComponent.Multiplicative, EtsComponent.None, false, EtsComponent.Multiplicative, Fixture.GetProperty("season").GetInt32());
        Assert.False(components.GetProperty("damped").GetBoolean());
        var parameters = new EtsParameters(Fixture.GetProperty("alpha").GetDouble(), Fixture.GetProperty("beta").GetDouble(), Fixture.GetProperty("gamma").GetDouble(), Fixture.GetProperty("phi").GetDouble());
        var r = new EtsForecaster(new EtsFit(model, parameters, Numbers("initialStates"), fitted, double.NaN, double.NaN, double.NaN, double.NaN, Fixture.GetProperty("sigma2").GetDouble()), null);

        var before = WorstRelative(r.Forecast(series.AsSpan(0, fitted), horizon).Mean, Numbers("fittedMean"));
        var after = WorstRelative(r.Forecast(series, horizon).Mean, Numbers("updatedMean"));
        output.WriteLine($"R's ETS(M,N,M) on USAccDeaths[1:{fitted}], worst relative difference from R's forecasts: before the update {before:E2}, after {series.Length - fitted} months appended {after:E2}");
        Assert.InRange(before, 0, 1e-9);
        Assert.InRange(after, 0, 1e-9);
    }

    [Fact]
    public void An_updated_fit_forecasts_from_its_state_carried_over_the_new_observations()
    {
        // Our own fit of the same model: bringing its state forward one observation at a time from where training
        // ended gives the forecast of the same parameters filtered over the whole longer series.
        var series = Numbers("series");
        var (fitted, horizon) = (Fixture.GetProperty("fittedLength").GetInt32(), Fixture.GetProperty("horizon").GetInt32());
        var model = new EtsModel(EtsComponent.Multiplicative, EtsComponent.None, false, EtsComponent.Multiplicative, 12);
        var fit = EtsEstimation.Fit(model, series[..fitted])!;
        var state = fit.FinalState(series.AsSpan(0, fitted));
        for (var t = fitted; t < series.Length; t++) EtsRecursion.Run(fit.Model, fit.Parameters, state, series.AsSpan(t, 1));
        var carried = EtsForecast.Compute(fit, state, horizon);
        var (mean, variance) = new EtsForecaster(fit, null).Forecast(series, horizon);
        Assert.Equal(carried.Mean, mean);
        Assert.Equal(carried.Variance, variance);
        var r = WorstRelative(mean, Numbers("updatedMean"));
        output.WriteLine($"our ETS(M,N,M) fit on the first {fitted} months, updated: forecasts within {r:E2} relative of R's updated model");
        Assert.InRange(r, 0, 0.01);
    }

    private static double WorstRelative(IReadOnlyList<double> actual, double[] expected) =>
        expected.Select((e, i) => Math.Abs(actual[i] - e) / Math.Abs(e)).Max();

    private static double[] Numbers(string name) => [.. Fixture.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];
}
