namespace Forecasting.Training.Statistical;

/// <summary>
/// A univariate forecaster with a regression part (SARIMA with regressors): forecasts need the regressors' values, for the
/// history and for every forecast step, as columns aligned with the history (row t of each column is step t; the rows past
/// the history are the future's).
/// </summary>
public interface IRegressionForecaster : IUnivariateForecaster
{
    /// <summary>How many regressor columns the fit reads; 0 when it has no regression part (the span-only methods then serve).</summary>
    int Regressors { get; }

    (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, IReadOnlyList<double[]> regressors, int horizon);

    /// <summary>As <see cref="IUnivariateForecaster.ForecastAtOrigins"/>; a step past the regressors' rows has a NaN forecast.</summary>
    double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<double[]> regressors, IReadOnlyList<int> origins, int horizon);

    /// <summary>Each regressor's part of the forecast (coefficient × value), [regressor][step], for the steps after the history.</summary>
    double[][] Contributions(IReadOnlyList<double[]> regressors, int historyLength, int horizon);

    /// <summary>The regression coefficients, in the regressors' order, with their standard errors.</summary>
    IReadOnlyList<(double Coefficient, double StandardError)> Coefficients { get; }
}
