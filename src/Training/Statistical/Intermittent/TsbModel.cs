namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// Teunter–Syntetos–Babai (2011) for one target, as StatsForecast's <c>TSB(alpha_d, alpha_p)</c>: the probability of a
/// demand (1 where a value is non-zero, else 0) is smoothed every step with <see cref="ProbabilityAlpha"/>, the non-zero
/// demands with <see cref="DemandAlpha"/>, each started at its first value; the forecast for every step is their
/// product (0 before any demand). Unlike Croston's, it decays while no demand comes. The variance is the mean squared
/// one-step error on the training period, the same for every step.
/// </summary>
public sealed record TsbModel(double DemandAlpha, double ProbabilityAlpha, double ResidualVariance) : IUnivariateForecaster
{
    public int MinimumHistory => 1;

    bool IUnivariateForecaster.NonNegative => true;

    public static TsbModel Fit(ReadOnlySpan<double> training, double demandAlpha, double probabilityAlpha)
    {
        var model = new TsbModel(demandAlpha, probabilityAlpha, 0);
        return model with { ResidualVariance = IntermittentDemand.MeanSquaredError(training, model.OneStepForecasts(training), 1) };
    }

    /// <summary>The forecast at every origin n = 0..values.Length (from values[..n]), in one pass.</summary>
    public double[] OneStepForecasts(ReadOnlySpan<double> values)
    {
        IntermittentDemand.RequireNonNegative(values);
        var forecasts = new double[values.Length + 1];
        double probability = 0, size = 0;
        var demands = 0;
        for (var t = 0; t < values.Length; t++)
        {
            forecasts[t] = demands == 0 ? 0 : probability * size;
            var occurred = values[t] != 0 ? 1.0 : 0.0;
            probability = t == 0 ? occurred : probability + ProbabilityAlpha * (occurred - probability);
            if (occurred == 0) continue;
            size = demands++ == 0 ? values[t] : size + DemandAlpha * (values[t] - size);
        }
        forecasts[^1] = demands == 0 ? 0 : probability * size;
        return forecasts;
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon) =>
        IntermittentDemand.Flat(OneStepForecasts(history), ResidualVariance, horizon);

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon) =>
        IntermittentDemand.AtOrigins(OneStepForecasts(values), origins, horizon);
}
