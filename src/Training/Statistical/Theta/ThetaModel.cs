namespace Forecasting.Training.Statistical.Theta;

/// <summary>
/// The standard Theta method as R's <c>forecast::thetaf()</c> for one target: where the seasonality test finds the
/// season, the series is divided by classical multiplicative indices; simple exponential smoothing of the adjusted
/// series plus half the slope of its linear trend (Hyndman &amp; Billah 2003: the drift b/2 with the SES weighting of
/// the trend line, b/2·(k − 1 + (1 − (1 − α)ⁿ)/α) at step k), multiplied back by the indices. The variance is
/// thetaf's: the SES one-step variance σ² (sum of squares over n − 2) times 1 + (k − 1)·α², on the adjusted scale.
/// A history is read from the same first observation as the training data: the level starts at ℓ₀ there and the
/// place in the season counts from it.
/// </summary>
/// <param name="Season">The season tested (1: none).</param>
/// <param name="Statistic">The seasonality test statistic, null where the test did not apply.</param>
/// <param name="SeasonalIndices">The multiplicative index per place in the season, counted from the first observation; empty when not seasonal.</param>
/// <param name="Alpha">The SES smoothing weight.</param>
/// <param name="InitialLevel">The SES level before the first observation.</param>
/// <param name="Drift">Half the slope of the least-squares line through the adjusted training series.</param>
/// <param name="Variance">σ², the SES one-step variance on the adjusted training series.</param>
public sealed record ThetaModel(int Season, double? Statistic, double[] SeasonalIndices, double Alpha, double InitialLevel, double Drift, double Variance)
    : IUnivariateForecaster
{
    /// <summary>Fewest training observations: R's <c>ets()</c> fits ETS(A,N,N) by likelihood only above 6 (below, Holt–Winters).</summary>
    public const int MinimumTraining = 7;

    /// <summary>Whether the series was deseasonalised.</summary>
    public bool Seasonal => SeasonalIndices.Length > 0;

    public int MinimumHistory => 1;

    public static ThetaModel Fit(ReadOnlySpan<double> training, int season)
    {
        var n = training.Length;
        if (n < MinimumTraining) throw new ArgumentException($"Theta needs at least {MinimumTraining} training observations, got {n}.");
        var statistic = SeasonalityTest.Statistic(training, season);
        double[] indices = [];
        if (statistic > SeasonalityTest.CriticalValue)
        {
            indices = ClassicalDecomposition.MultiplicativeIndices(training, season);
            // Indices near zero (or undefined: a zero trend) cannot be divided by. thetaf then warns that it uses the
            // non-seasonal method, yet still multiplies its forecasts by them; here the method is non-seasonal throughout.
            if (indices.Any(i => !double.IsFinite(i) || Math.Abs(i) < 1e-4)) indices = [];
        }
        var adjusted = new double[n];
        for (var t = 0; t < n; t++) adjusted[t] = indices.Length > 0 ? training[t] / indices[t % season] : training[t];

        var ses = SimpleExponentialSmoothing.Fit(adjusted);
        return new ThetaModel(season, statistic, indices, ses.Alpha, ses.InitialLevel, Slope(adjusted) / 2, ses.SumOfSquares / (n - 2));
    }

    /// <summary>The least-squares slope of x against t = 0 … n − 1 (R's <c>lsfit</c>).</summary>
    private static double Slope(ReadOnlySpan<double> x)
    {
        var n = x.Length;
        var meanT = (n - 1) / 2.0;
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= n;
        double sxy = 0, sxx = 0;
        for (var t = 0; t < n; t++)
        {
            sxy += (t - meanT) * (x[t] - mean);
            sxx += (t - meanT) * (t - meanT);
        }
        return sxy / sxx;
    }

    private double Index(long t) => Seasonal ? SeasonalIndices[t % Season] : 1;

    /// <summary>The SES level after the first <paramref name="length"/> values (adjusted), from ℓ₀.</summary>
    private double LevelAfter(ReadOnlySpan<double> values, int length)
    {
        var level = InitialLevel;
        for (var t = 0; t < length; t++) level += Alpha * (values[t] / Index(t) - level);
        return level;
    }

    private void Fill(Span<double> mean, double level, int length)
    {
        // thetaf guards α away from zero before dividing by it.
        var alpha = Math.Max(1e-10, Alpha);
        var trendWeight = (1 - Math.Pow(1 - alpha, length)) / alpha;
        for (var k = 1; k <= mean.Length; k++)
            mean[k - 1] = (level + Drift * (k - 1 + trendWeight)) * Index(length + k - 1);
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var mean = new double[horizon];
        Fill(mean, LevelAfter(history, history.Length), history.Length);
        var variance = new double[horizon];
        for (var k = 1; k <= horizon; k++) variance[k - 1] = Variance * (1 + (k - 1) * Alpha * Alpha);
        return (mean, variance);
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon)
    {
        // One pass: the level after each prefix, then each origin's forecast from its own.
        var end = origins.Count == 0 ? 0 : origins.Max();
        var levels = new double[end + 1];
        levels[0] = InitialLevel;
        for (var t = 0; t < end; t++) levels[t + 1] = levels[t] + Alpha * (values[t] / Index(t) - levels[t]);
        var result = new double[origins.Count][];
        for (var o = 0; o < origins.Count; o++)
        {
            result[o] = new double[horizon];
            Fill(result[o], levels[origins[o]], origins[o]);
        }
        return result;
    }

    /// <summary>What the model summary reports of one fit.</summary>
    public object Describe() => new
    {
        season = Season,
        seasonal = Seasonal,
        seasonalityStatistic = Statistic,
        criticalValue = Statistic is null ? (double?)null : SeasonalityTest.CriticalValue,
        alpha = Alpha,
        initialLevel = InitialLevel,
        drift = Drift,
        sigma2 = Variance,
        seasonalIndices = Seasonal ? SeasonalIndices : null,
    };
}
