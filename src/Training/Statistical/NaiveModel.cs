using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// The seasonal naive forecaster: the value one season earlier (season 1 is the plain naive forecast).
/// The forecast variance grows with the number of seasons ahead, σ²·⌈k/s⌉, with σ² the mean squared
/// one-step residual y[t] − y[t−s] on the training period (Hyndman &amp; Athanasopoulos, fpp3 §5.5).
/// </summary>
public sealed record NaiveModel(int Season, double ResidualVariance) : IUnivariateForecaster
{
    public int MinimumHistory => Season;

    public static NaiveModel Fit(ReadOnlySpan<double> training, int season)
    {
        if (training.Length <= season)
            throw new ArgumentException($"Needs more than {season} training observations, got {training.Length}.");
        double sum = 0;
        for (var t = season; t < training.Length; t++)
        {
            var residual = training[t] - training[t - season];
            sum += residual * residual;
        }
        return new NaiveModel(season, sum / (training.Length - season));
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var mean = new double[horizon];
        var variance = new double[horizon];
        for (var k = 1; k <= horizon; k++)
        {
            mean[k - 1] = history[history.Length - Season + (k - 1) % Season];
            variance[k - 1] = ResidualVariance * ((k - 1) / Season + 1);
        }
        return (mean, variance);
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon)
    {
        var result = new double[origins.Count][];
        for (var o = 0; o < origins.Count; o++)
        {
            var n = origins[o];
            var row = result[o] = new double[horizon];
            for (var k = 1; k <= horizon; k++) row[k - 1] = values[n - Season + (k - 1) % Season];
        }
        return result;
    }
}
