namespace Forecasting.Training.Statistical;

/// <summary>
/// Forecasts made from many origins with fixed parameters: for origin o, step h (1-based) predicts
/// series[o + h − 1] from series[0..o). Means[i][h−1] and Variances[i][h−1] belong to Origins[i].
/// </summary>
public sealed record SarimaOriginForecasts(IReadOnlyList<int> Origins, int Horizon, double[][] Means, double[][] Variances);
