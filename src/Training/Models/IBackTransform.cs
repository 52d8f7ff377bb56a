namespace Forecasting.Training.Models;

/// <summary>
/// Maps a model's forecasts made on a transformed scale (Box-Cox …) back to the data's: scored forecasts that carry
/// one are calibrated on the transformed scale and measured on the original one.
/// </summary>
public interface IBackTransform
{
    /// <summary>The original-scale value of a transformed one (an actual, or an interval bound: quantiles map directly).</summary>
    double Inverse(double transformed);

    /// <summary>The served point forecast of a transformed mean with its transformed-scale variance (bias-adjusted or not).</summary>
    double Point(double transformedMean, double transformedVariance);
}
