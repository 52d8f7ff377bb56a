using Forecasting.Training.Statistical.Ets;

namespace Forecasting.Training.Tests.Statistical.Ets;

public sealed class EtsRecursionTests
{
    private static readonly double[] Series = [12, 15, 11, 18, 20, 17, 22, 25, 21, 27, 30, 26, 31, 29, 35];

    [Fact]
    public void ETS_A_N_N_is_simple_exponential_smoothing()
    {
        var model = new EtsModel(EtsComponent.Additive, EtsComponent.None, false, EtsComponent.None, 1);
        const double alpha = 0.3, initial = 12.5;
        double[] state = [initial];
        var residuals = new double[Series.Length];
        var criterion = EtsRecursion.Run(model, new EtsParameters(alpha, 0, 0, 1), state, Series, residuals);

        var level = initial;
        double sumSquares = 0;
        for (var t = 0; t < Series.Length; t++)
        {
            Assert.Equal(Series[t] - level, residuals[t], 12);
            sumSquares += (Series[t] - level) * (Series[t] - level);
            level += alpha * (Series[t] - level);
        }
        Assert.Equal(level, state[0], 12);
        Assert.Equal(Series.Length * Math.Log(sumSquares), criterion, 10);
    }

    [Fact]
    public void ETS_A_A_N_is_Holt_s_linear_method_with_beta_on_the_error()
    {
        var model = new EtsModel(EtsComponent.Additive, EtsComponent.Additive, false, EtsComponent.None, 1);
        const double alpha = 0.5, beta = 0.1;
        double[] state = [11, 1.5];
        EtsRecursion.Run(model, new EtsParameters(alpha, beta, 0, 1), state, Series);

        double level = 11, growth = 1.5;
        foreach (var y in Series)
        {
            var error = y - (level + growth);
            (level, growth) = (level + growth + alpha * error, growth + beta * error);
        }
        Assert.Equal(level, state[0], 10);
        Assert.Equal(growth, state[1], 10);
    }

    [Fact]
    public void Multiplicative_season_updates_the_oldest_index_and_rotates()
    {
        var model = new EtsModel(EtsComponent.Multiplicative, EtsComponent.None, false, EtsComponent.Multiplicative, 3);
        const double alpha = 0.2, gamma = 0.1;
        double[] state = [20, 1.1, 0.8, 1.1]; // level, s1 (latest) … s3 (oldest)
        var residuals = new double[1];
        EtsRecursion.Run(model, new EtsParameters(alpha, 0, gamma, 1), state, [23.0], residuals);

        var forecast = 20 * 1.1;
        Assert.Equal((23 - forecast) / forecast, residuals[0], 12);
        var level = 20 + alpha * (23 / 1.1 - 20);
        Assert.Equal(level, state[0], 12);
        Assert.Equal(1.1 + gamma * (23 / 20.0 - 1.1), state[1], 12);
        Assert.Equal(1.1, state[2], 12);
        Assert.Equal(0.8, state[3], 12);
    }

    [Fact]
    public void Forecasts_at_origins_equal_forecasts_from_each_history_and_the_fit_survives_json()
    {
        var y = Enumerable.Range(0, 60).Select(t => 100 + t + 10 * Math.Sin(2 * Math.PI * t / 4) + (t * 7919 % 13) / 3.0).ToArray();
        var (best, candidates) = EtsSelection.Select(y, EtsModelChoice.Automatic, 4);
        var forecaster = new EtsForecaster(best, candidates);
        var rows = forecaster.ForecastAtOrigins(y, [50, 30, 40], 6);
        Assert.Equal(forecaster.Forecast(y.AsSpan(0, 30), 6).Mean, rows[1]);
        Assert.Equal(forecaster.Forecast(y.AsSpan(0, 50), 6).Mean, rows[0]);

        var json = System.Text.Json.JsonSerializer.Serialize(forecaster, Forecasting.Training.Statistical.StatisticalModelKind<EtsForecaster>.StateJson);
        var back = System.Text.Json.JsonSerializer.Deserialize<EtsForecaster>(json, Forecasting.Training.Statistical.StatisticalModelKind<EtsForecaster>.StateJson)!;
        var (mean, variance) = forecaster.Forecast(y, 8);
        var (loadedMean, loadedVariance) = back.Forecast(y, 8);
        Assert.Equal(mean, loadedMean);
        Assert.Equal(variance, loadedVariance);
        Assert.Equal(best.Model, back.Fit.Model);
    }

    [Fact]
    public void A_constant_series_is_fitted_and_forecast_flat()
    {
        var y = Enumerable.Repeat(5.0, 30).ToArray();
        var (best, _) = EtsSelection.Select(y, EtsModelChoice.Automatic, 1);
        var (mean, _) = new EtsForecaster(best, null).Forecast(y, 4);
        Assert.All(mean, m => Assert.Equal(5.0, m, 6));
        Assert.True(double.IsFinite(best.Aicc));
    }

    [Fact]
    public void Largest_root_modulus_of_a_known_polynomial()
    {
        // (z − 0.5)(z + 2)(z² + 1) = z⁴ + 1.5z³ + 0z² + 1.5z − 1
        Assert.Equal(2, EtsAdmissibility.LargestRootModulus([1, 1.5, 0, 1.5, -1]), 10);
    }
}
