using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Theta;

namespace Forecasting.Training.Tests.Statistical.Theta;

/// <summary>The theta kind's checks, its summary, stored fits, and its forecasts from histories other than the training data.</summary>
public sealed class ThetaModelTests
{
    private static double[] AirPassengers() =>
        [.. ReferenceFixture.Load("theta.json").GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "AirPassengers").GetProperty("train").EnumerateArray().Select(v => v.GetDouble())];

    private static DatasetFrame Frame(double[] values, Frequency frequency) =>
        new(frequency, [ColumnInfo.Numeric("y")], [new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values })]);

    private static TrainingRunSpec Spec(ModelSpec model, int horizon = 12) => new() { Targets = ["y"], Horizon = horizon, Model = model };

    private static List<FieldError> Errors(ModelSpec model, int length, Frequency frequency)
    {
        var values = Enumerable.Range(0, length).Select(t => 10 + Math.Sin(t)).ToArray();
        return [.. new ThetaModelKind().Validate(Spec(model), Frame(values, frequency), new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, length), null, null) })];
    }

    [Fact]
    public void A_negative_season_an_untestable_season_asked_for_and_too_little_data_are_refused()
    {
        Assert.Equal("model.season", Assert.Single(Errors(new ModelSpec { Kind = "theta", Season = -1 }, 100, Frequency.Steps)).Field);
        Assert.Empty(Errors(new ModelSpec { Kind = "theta", Season = 0 }, 100, Frequency.Steps)); // 0 reads as 1: non-seasonal
        var untestable = Assert.Single(Errors(new ModelSpec { Kind = "theta", Season = 12 }, 24, Frequency.Steps));
        Assert.Equal("model.season", untestable.Field);
        Assert.Contains("more than 24", untestable.Message);
        Assert.Equal("split", Assert.Single(Errors(new ModelSpec { Kind = "theta" }, 6, Frequency.Steps)).Field);
        // The frequency's season (12 monthly) on too little data to test it: non-seasonal, as thetaf.
        Assert.Empty(Errors(new ModelSpec { Kind = "theta" }, 20, Frequency.Monthly));
        Assert.Empty(Errors(new ModelSpec { Kind = "theta", Season = 12 }, 25, Frequency.Steps));
    }

    [Fact]
    public void The_frequency_season_untested_on_short_data_gives_the_non_seasonal_method()
    {
        var values = AirPassengers()[..20];
        var fit = ThetaModel.Fit(values, 12);
        Assert.Null(fit.Statistic);
        Assert.False(fit.Seasonal);
    }

    [Fact]
    public void Training_reports_the_fit_and_a_stored_model_forecasts_as_the_fit()
    {
        var values = AirPassengers();
        var frame = Frame(values, Frequency.Monthly);
        var spec = Spec(new ModelSpec { Kind = "theta" });
        var kind = new ThetaModelKind();
        var trained = kind.Train(new TrainingInput(frame, spec, new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, 96), null, new IndexRange(96, 120)) }), null, CancellationToken.None);

        var fit = ThetaModel.Fit(values.AsSpan(0, 96), 12);
        Assert.True(fit.Seasonal);
        Assert.Equal(3 + 11, trained.ParameterCount);
        var details = JsonSerializer.SerializeToElement(trained.Details).GetProperty("fits")[0].GetProperty("fit");
        Assert.True(details.GetProperty("seasonal").GetBoolean());
        Assert.Equal(fit.Statistic!.Value, details.GetProperty("seasonalityStatistic").GetDouble());
        Assert.Equal(SeasonalityTest.CriticalValue, details.GetProperty("criticalValue").GetDouble());
        Assert.Equal(fit.Alpha, details.GetProperty("alpha").GetDouble());
        Assert.Equal(fit.InitialLevel, details.GetProperty("initialLevel").GetDouble());
        Assert.Equal(fit.Drift, details.GetProperty("drift").GetDouble());
        Assert.Equal(12, details.GetProperty("seasonalIndices").GetArrayLength());
        Assert.NotNull(trained.Test);

        // Stored and loaded, it forecasts from the whole series (the training data and the test period) as the fit does.
        var loaded = kind.Load(trained.Model.SaveState(), spec);
        var forecast = Assert.Single(loaded.Forecast(new ForecastQuery(frame.Series[0], Frequency.Monthly, 12, [80], 1)));
        var (mean, variance) = fit.Forecast(values, 12);
        Assert.Equal(mean, forecast.Mean);
        for (var k = 0; k < 12; k++)
            Assert.Equal(mean[k] - 1.2815515655446004 * Math.Sqrt(variance[k]), forecast.Lower[80][k], 9);
    }

    [Fact]
    public void Forecasts_at_origins_equal_forecasts_from_each_prefix()
    {
        var values = AirPassengers();
        var fit = ThetaModel.Fit(values.AsSpan(0, 96), 12);
        int[] origins = [1, 50, 96, 97, 119];
        var rows = fit.ForecastAtOrigins(values, origins, 5);
        for (var o = 0; o < origins.Length; o++)
            Assert.Equal(fit.Forecast(values.AsSpan(0, origins[o]), 5).Mean, rows[o]);
    }

    [Fact]
    public void Seasonal_indices_near_zero_give_the_non_seasonal_method()
    {
        // Every fourth value is zero: a strong season whose index at that place is zero, which cannot be divided by.
        var values = Enumerable.Range(0, 40).Select(t => t % 4 == 0 ? 0.0 : 10 + t % 4).ToArray();
        var fit = ThetaModel.Fit(values, 4);
        Assert.True(fit.Statistic > SeasonalityTest.CriticalValue);
        Assert.False(fit.Seasonal);
        Assert.All(fit.Forecast(values, 8).Mean, m => Assert.True(double.IsFinite(m)));
    }

    [Fact]
    public void A_constant_series_forecasts_its_value_with_no_spread()
    {
        var values = Enumerable.Repeat(5.0, 30).ToArray();
        var fit = ThetaModel.Fit(values, 7);
        Assert.Null(fit.Statistic);
        var (mean, variance) = fit.Forecast(values, 4);
        Assert.All(mean, m => Assert.Equal(5, m, 9));
        Assert.All(variance, v => Assert.Equal(0, v, 12));
    }
}
