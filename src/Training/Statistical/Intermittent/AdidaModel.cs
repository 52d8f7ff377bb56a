namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// ADIDA (Nikolopoulos et al. 2011) for one target, as StatsForecast's <c>ADIDA</c>: the series is cut into buckets of
/// <see cref="Level"/> steps (its mean interval between demands, rounded) ending at the origin, the buckets' sums are
/// smoothed with <see cref="Alpha"/>, and the smoothed sum is shared equally over a bucket's steps, the forecast for
/// every step. Level and α are fitted on the training period and kept for forecasts from any history. The variance is
/// the mean squared one-step error on the training period, the same for every step.
/// </summary>
public sealed record AdidaModel(int Level, double Alpha, double ResidualVariance) : IUnivariateForecaster
{
    public int MinimumHistory => Level;

    bool IUnivariateForecaster.NonNegative => true;

    /// <summary>The level from the training data's mean interval; α as given, else StatsForecast's least squares in [0.1, 0.3].</summary>
    public static AdidaModel Fit(ReadOnlySpan<double> training, double? alpha)
    {
        var level = IntermittentDemand.AggregationLevel(training);
        var model = new AdidaModel(level, IntermittentDemand.AggregateAlpha(training, level, alpha), 0);
        return model with { ResidualVariance = IntermittentDemand.MeanSquaredError(training, model.OneStepForecasts(training), level) };
    }

    /// <summary>The forecast at every origin n = Level..values.Length (from values[..n]; NaN before).</summary>
    public double[] OneStepForecasts(ReadOnlySpan<double> values)
    {
        IntermittentDemand.RequireNonNegative(values);
        return IntermittentDemand.AggregatedForecasts(values, Level, Alpha);
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon) =>
        IntermittentDemand.Flat(OneStepForecasts(history), ResidualVariance, horizon);

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon) =>
        IntermittentDemand.AtOrigins(OneStepForecasts(values), origins, horizon);
}
