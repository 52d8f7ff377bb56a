using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

public sealed class SarimaInputTests
{
    private static readonly double[] Series = SarimaSimulator.Simulate(new SarimaSpec(1, 0, 0), [0.5, 1.0], 60, 1);

    [Fact]
    public void Seasonal_terms_without_a_season_are_refused()
    {
        var exception = Assert.Throws<SarimaInputException>(() => SarimaEstimator.Fit(Series, new SarimaSpec(1, 0, 0, 0, 1, 1, Season: 1)));
        Assert.Contains("season of at least 2", exception.Message);
    }

    [Fact]
    public void Orders_too_large_for_the_data_say_how_many_observations_are_needed()
    {
        var spec = new SarimaSpec(2, 1, 2, 2, 1, 2, 12);
        var exception = Assert.Throws<SarimaInputException>(() => SarimaEstimator.Fit(Series.AsSpan(0, 40), spec));
        Assert.Contains($"needs at least {spec.MinimumObservations} observations but the series has 40", exception.Message);
    }

    [Fact]
    public void Too_short_series_is_refused()
    {
        var exception = Assert.Throws<SarimaInputException>(() => SarimaEstimator.Fit(Series.AsSpan(0, 3), new SarimaSpec(1, 0, 0)));
        Assert.Contains("needs at least", exception.Message);
    }

    [Fact]
    public void Constant_series_is_refused()
    {
        var exception = Assert.Throws<SarimaInputException>(() => SarimaEstimator.Fit(Enumerable.Repeat(3.0, 50).ToArray(), new SarimaSpec(1, 0, 0)));
        Assert.Contains("constant", exception.Message);
    }

    [Fact]
    public void Series_that_differencing_makes_constant_is_refused()
    {
        var line = Enumerable.Range(0, 50).Select(t => 2.0 * t).ToArray();
        var exception = Assert.Throws<SarimaInputException>(() => SarimaEstimator.Fit(line, new SarimaSpec(1, 1, 0)));
        Assert.Contains("After differencing", exception.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Missing_values_are_refused_with_their_position(double bad)
    {
        var y = (double[])Series.Clone();
        y[17] = bad;
        var exception = Assert.Throws<SarimaInputException>(() => SarimaEstimator.Fit(y, new SarimaSpec(1, 0, 0)));
        Assert.Contains("position 17", exception.Message);
    }

    [Fact]
    public void Validation_before_queuing_lists_every_problem_as_a_sentence()
    {
        Assert.Empty(SarimaInputValidator.Validate(new SarimaSpec(1, 0, 0, 0, 1, 1, 7), 151));
        var errors = SarimaInputValidator.Validate(new SarimaSpec(-1, 0, 11), 100);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.EndsWith(".", e));
        Assert.Single(SarimaInputValidator.Validate(new SarimaSpec(0, 0, 0, 1, 0, 0, 0), 100));
        Assert.Single(SarimaInputValidator.Validate(new SarimaSpec(1, 0, 0, 0, 1, 1, 7), 10));
    }

    [Fact]
    public void Bad_forecast_requests_are_refused()
    {
        var fit = SarimaEstimator.Fit(Series, new SarimaSpec(1, 0, 0));
        Assert.Throws<SarimaInputException>(() => fit.Forecast(Series, 0));
        Assert.Throws<SarimaInputException>(() => fit.ForecastAtOrigins(Series, [0], 1));
        Assert.Throws<SarimaInputException>(() => fit.ForecastAtOrigins(Series, [61], 1));
        Assert.Throws<SarimaInputException>(() => fit.Forecast(Series, 3).Interval(1.5));
        Assert.Throws<SarimaInputException>(() => SarimaFit.Deserialize("{\"nope\":1}"u8.ToArray()));
        Assert.Throws<SarimaInputException>(() => SarimaFit.Deserialize("not json"u8.ToArray()));
    }
}
