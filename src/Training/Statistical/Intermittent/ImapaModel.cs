namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// IMAPA (Petropoulos &amp; Kourentzes 2015) for one target, as StatsForecast's <c>IMAPA</c>: ADIDA at every
/// aggregation level 1..K (K the mean interval between demands, rounded), each with its own α, and the mean of their
/// forecasts for every step. <see cref="Alphas"/>[k − 1] smooths level k; K and the α's are fitted on the training
/// period. The variance is the mean squared one-step error on the training period, the same for every step.
/// </summary>
public sealed record ImapaModel(double[] Alphas, double ResidualVariance) : IUnivariateForecaster
{
    /// <summary>The largest aggregation level, K.</summary>
    public int Levels => Alphas.Length;

    public int MinimumHistory => Levels;

    bool IUnivariateForecaster.NonNegative => true;

    /// <summary>K from the training data's mean interval; α per level as given, else StatsForecast's least squares in [0.1, 0.3].</summary>
    public static ImapaModel Fit(ReadOnlySpan<double> training, double? alpha)
    {
        var levels = IntermittentDemand.AggregationLevel(training);
        var alphas = new double[levels];
        for (var k = 1; k <= levels; k++) alphas[k - 1] = IntermittentDemand.AggregateAlpha(training, k, alpha);
        var model = new ImapaModel(alphas, 0);
        return model with { ResidualVariance = IntermittentDemand.MeanSquaredError(training, model.OneStepForecasts(training), levels) };
    }

    /// <summary>The forecast at every origin n = K..values.Length (from values[..n]; NaN before).</summary>
    public double[] OneStepForecasts(ReadOnlySpan<double> values)
    {
        IntermittentDemand.RequireNonNegative(values);
        var mean = new double[values.Length + 1];
        for (var k = 1; k <= Levels; k++)
        {
            var level = IntermittentDemand.AggregatedForecasts(values, k, Alphas[k - 1]);
            for (var n = 0; n < mean.Length; n++) mean[n] += level[n] / Levels;
        }
        return mean;
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon) =>
        IntermittentDemand.Flat(OneStepForecasts(history), ResidualVariance, horizon);

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon) =>
        IntermittentDemand.AtOrigins(OneStepForecasts(values), origins, horizon);
}
