namespace Forecasting.Training.Statistical;

/// <summary>A statistical model fitted to one target of one series, forecasting from any history.</summary>
public interface IUnivariateForecaster
{
    /// <summary>Fewest observations a history needs for a forecast.</summary>
    int MinimumHistory { get; }

    /// <summary>
    /// Whether the fitted quantity cannot go below zero (demand fitted on non-negative data): interval lower
    /// bounds, served and scored, are then clipped at zero.
    /// </summary>
    bool NonNegative => false;

    /// <summary>Means and variances of the <paramref name="horizon"/> values after <paramref name="history"/>.</summary>
    (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon);

    /// <summary>
    /// Point forecasts from many origins with the fitted parameters (no refit): row o holds the
    /// <paramref name="horizon"/> values after <c>values[..origins[o]]</c>.
    /// </summary>
    double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon);
}
