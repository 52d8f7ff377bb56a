using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>The chapter's statsmodels figures for SARIMA(1,0,0)(0,1,1,7) on CTA rail ridership.</summary>
public sealed class SarimaParityTests(ITestOutputHelper output)
{
    private static readonly SarimaSpec ChapterSpec = new(1, 0, 0, 0, 1, 1, 7);

    [CtaFact]
    public void Forecast_for_2019_06_01_matches_statsmodels()
    {
        var rail = CtaRailSeries.Between(new DateOnly(2019, 1, 1), new DateOnly(2019, 5, 31));
        Assert.Equal(151, rail.Length);

        var fit = SarimaEstimator.Fit(rail, ChapterSpec);
        var forecast = fit.Forecast(rail, 1).Means[0];

        output.WriteLine($"params {string.Join(", ", fit.ParameterNames.Zip(fit.Parameters, (n, p) => $"{n}={p:G6}"))}; llf {fit.LogLikelihood:F3}; iterations {fit.Iterations}");
        output.WriteLine($"forecast 2019-06-01: {forecast:F1} (statsmodels 427,758.6)");
        Assert.InRange(forecast, 427_758.6 * 0.999, 427_758.6 * 1.001);
    }

    [CtaFact]
    public void Daily_refit_backtest_mae_matches_statsmodels()
    {
        var origin = new DateOnly(2019, 1, 1);
        var rail = CtaRailSeries.Between(origin, new DateOnly(2019, 5, 31));
        var first = new DateOnly(2019, 3, 1).DayNumber - origin.DayNumber;

        var errors = new List<double>();
        for (var target = first; target < rail.Length; target++)
        {
            var history = rail.AsSpan(0, target);
            var fit = SarimaEstimator.Fit(history, ChapterSpec);
            errors.Add(Math.Abs(fit.Forecast(history, 1).Means[0] - rail[target]));
        }
        var mae = errors.Average();

        output.WriteLine($"{errors.Count} fits, MAE {mae:F1} (statsmodels 32,040.7)");
        Assert.Equal(92, errors.Count);
        Assert.InRange(mae, 32_040.7 * 0.995, 32_040.7 * 1.005);
    }
}
