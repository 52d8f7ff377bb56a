using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

public sealed class SarimaForecastTests
{
    private static readonly SarimaSpec Seasonal = new(1, 0, 0, 0, 1, 1, 7);
    private static readonly double[] Series = SarimaSimulator.Simulate(Seasonal, [0.6, -0.5, 4.0], 200, 3).Select(v => v + 100).ToArray();

    [Fact]
    public void Prediction_intervals_widen_with_the_horizon_and_nest_by_level()
    {
        var fit = SarimaEstimator.Fit(Series, Seasonal);
        var forecast = fit.Forecast(Series, 28);
        for (var h = 1; h < forecast.Horizon; h++) Assert.True(forecast.Variances[h] > forecast.Variances[h - 1]);
        Assert.Equal(fit.Sigma2, forecast.Variances[0], 6);

        var (lower80, upper80) = forecast.Interval(0.8);
        var (lower95, upper95) = forecast.Interval(0.95);
        for (var h = 0; h < forecast.Horizon; h++)
        {
            Assert.True(lower95[h] < lower80[h] && lower80[h] < forecast.Means[h] && forecast.Means[h] < upper80[h] && upper80[h] < upper95[h]);
            Assert.Equal(1.959964 * Math.Sqrt(forecast.Variances[h]), upper95[h] - forecast.Means[h], 4);
        }
        Assert.All(forecast.Means, m => Assert.True(double.IsFinite(m)));
    }

    [Fact]
    public void Stationary_model_intervals_do_not_shrink_and_means_revert_to_the_constant()
    {
        var spec = new SarimaSpec(1, 0, 1, IncludeConstant: true);
        var y = SarimaSimulator.Simulate(spec, [5.0, 0.7, 0.2, 1.0], 300, 5);
        var fit = SarimaEstimator.Fit(y, spec);
        var forecast = fit.Forecast(y, 200);
        for (var h = 1; h < forecast.Horizon; h++) Assert.True(forecast.Variances[h] >= forecast.Variances[h - 1] - 1e-12);
        Assert.Equal(fit.Parameters[0], forecast.Means[^1], 3);
    }

    [Fact]
    public void Forecasts_at_origins_equal_forecasts_from_each_truncated_history()
    {
        var fit = SarimaEstimator.Fit(Series.AsSpan(0, 150), Seasonal);
        int[] origins = [160, 120, 199, 200, 30];
        var atOrigins = fit.ForecastAtOrigins(Series, origins, 5);
        for (var i = 0; i < origins.Length; i++)
        {
            var direct = fit.Forecast(Series.AsSpan(0, origins[i]), 5);
            for (var h = 0; h < 5; h++)
            {
                Assert.Equal(direct.Means[h], atOrigins.Means[i][h], 9);
                Assert.Equal(direct.Variances[h], atOrigins.Variances[i][h], 9);
            }
        }
    }

    [Fact]
    public void Serialised_fit_forecasts_identically()
    {
        var spec = new SarimaSpec(1, 1, 1, 0, 1, 1, 7, IncludeConstant: true);
        var y = SarimaSimulator.Simulate(spec, [0.05, 0.3, -0.2, -0.6, 1.0], 220, 9);
        var fit = SarimaEstimator.Fit(y, spec);
        var restored = SarimaFit.Deserialize(fit.Serialize());

        Assert.Equal(fit.Spec, restored.Spec);
        Assert.Equal(fit.Parameters, restored.Parameters);
        Assert.Equal(fit.StandardErrors, restored.StandardErrors);
        Assert.Equal(fit.LogLikelihood, restored.LogLikelihood);
        Assert.Equal(fit.Aicc, restored.Aicc);
        var newHistory = y.AsSpan(0, 180);
        Assert.Equal(fit.Forecast(newHistory, 10).Means, restored.Forecast(newHistory, 10).Means);
        Assert.Equal(fit.Forecast(newHistory, 10).Variances, restored.Forecast(newHistory, 10).Variances);
    }

    [Fact]
    public void Information_criteria_follow_statsmodels_conventions()
    {
        var fit = SarimaEstimator.Fit(Series, Seasonal);
        const int k = 3;
        var n = Series.Length - 7;
        Assert.Equal(n, fit.EffectiveObservations);
        Assert.Equal(-2 * fit.LogLikelihood + 2 * k, fit.Aic, 9);
        Assert.Equal(-2 * fit.LogLikelihood + k * Math.Log(n), fit.Bic, 9);
        Assert.Equal(fit.Aic + 2.0 * k * (k + 1) / (n - k - 1), fit.Aicc, 9);
        Assert.Equal(["ar.L1", "ma.S.L7", "sigma2"], fit.ParameterNames);
    }
}
