using Forecasting.Domain;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// Croston's method for one target, as R's <c>forecast::croston()</c>: the non-zero demands and the intervals between
/// them (the first counted from before the series starts) are each smoothed with <see cref="Alpha"/>, started at their
/// first value; the forecast for every step is the smoothed demand over the smoothed interval (0 before any demand),
/// times 1 − α/2 for SBA. The variance is the mean squared one-step error on the training period (R's fitted values),
/// the same for every step: the method has no stochastic model, so intervals come from its own errors.
/// </summary>
public sealed record CrostonModel(double Alpha, CrostonVariant Variant, double ResidualVariance) : IUnivariateForecaster
{
    public int MinimumHistory => 1;

    bool IUnivariateForecaster.NonNegative => true;

    public static CrostonModel Fit(ReadOnlySpan<double> training, double alpha, CrostonVariant variant)
    {
        var model = new CrostonModel(alpha, variant, 0);
        return model with { ResidualVariance = IntermittentDemand.MeanSquaredError(training, model.OneStepForecasts(training), 1) };
    }

    /// <summary>The forecast at every origin n = 0..values.Length (from values[..n]), in one pass.</summary>
    public double[] OneStepForecasts(ReadOnlySpan<double> values)
    {
        IntermittentDemand.RequireNonNegative(values);
        var factor = Variant == CrostonVariant.Sba ? 1 - Alpha / 2 : 1;
        var forecasts = new double[values.Length + 1];
        double size = 0, interval = 0;
        var demands = 0;
        var last = 0; // 1-based position of the last demand, 0 before the first
        for (var t = 0; t < values.Length; t++)
        {
            forecasts[t] = demands == 0 ? 0 : factor * size / interval;
            if (values[t] <= 0) continue;
            var gap = t + 1 - last;
            if (demands++ == 0) (size, interval) = (values[t], gap);
            else
            {
                size += Alpha * (values[t] - size);
                interval += Alpha * (gap - interval);
            }
            last = t + 1;
        }
        forecasts[^1] = demands == 0 ? 0 : factor * size / interval;
        return forecasts;
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon) =>
        IntermittentDemand.Flat(OneStepForecasts(history), ResidualVariance, horizon);

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon) =>
        IntermittentDemand.AtOrigins(OneStepForecasts(values), origins, horizon);
}
