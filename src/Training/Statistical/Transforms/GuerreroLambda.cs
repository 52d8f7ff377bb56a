namespace Forecasting.Training.Statistical.Transforms;

/// <summary>
/// Guerrero's (1993) choice of the Box-Cox λ, as R's <c>BoxCox.lambda(x, method = "guerrero", lower = -1, upper = 2)</c>:
/// the λ in [lower, upper] minimising the coefficient of variation of sd/mean^(1−λ) over the series' whole seasons
/// (the last ones), found with R's <c>optimize()</c>. A series not longer than two seasons gets λ = 1, as R.
/// </summary>
public static class GuerreroLambda
{
    public const double Lower = -1;
    public const double Upper = 2;

    /// <param name="values">Positive observations.</param>
    /// <param name="season">The season length (R's <c>frequency(x)</c>); subseries are at least 2 long.</param>
    public static double Estimate(ReadOnlySpan<double> values, int season)
    {
        if (values.Length <= 2 * season) return 1;
        var period = Math.Max(2, season);
        var years = values.Length / period;
        if (years < 2) return 1; // one subseries has no spread of ratios (R's criterion is NA throughout)
        // Per subseries (the last whole periods, oldest first), its mean and standard deviation.
        var means = new double[years];
        var sds = new double[years];
        var start = values.Length - years * period;
        for (var j = 0; j < years; j++)
        {
            var block = values.Slice(start + j * period, period);
            means[j] = Mean(block);
            sds[j] = StandardDeviation(block, means[j]);
        }
        var ratios = new double[years];
        double CoefficientOfVariation(double lambda)
        {
            for (var j = 0; j < years; j++) ratios[j] = sds[j] / Math.Pow(means[j], 1 - lambda);
            var mean = Mean(ratios);
            return StandardDeviation(ratios, mean) / mean;
        }
        return BrentMinimizer.Minimize(CoefficientOfVariation, Lower, Upper, BrentMinimizer.DefaultTolerance);
    }

    /// <summary>R's mean: the sum over n, refined by the mean residual.</summary>
    private static double Mean(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var v in x) sum += v;
        var mean = sum / x.Length;
        var residual = 0.0;
        foreach (var v in x) residual += v - mean;
        return mean + residual / x.Length;
    }

    /// <summary>The sample standard deviation (denominator n − 1), as R's <c>sd</c>.</summary>
    private static double StandardDeviation(ReadOnlySpan<double> x, double mean)
    {
        var sum = 0.0;
        foreach (var v in x) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (x.Length - 1));
    }
}
