namespace Forecasting.Training.Statistical;

/// <summary>
/// How many differences a series needs, as R's forecast 8.20 decides it for <c>auto.arima</c>: <see cref="Ndiffs"/>
/// by repeated KPSS level-stationarity tests at 5%, <see cref="Nsdiffs"/> by the STL seasonal strength.
/// </summary>
public static class Differencing
{
    /// <summary>The KPSS 5% critical value for level stationarity (urca's table; ndiffs' p &lt; 0.05 ⇔ statistic above it).</summary>
    public const double KpssCriticalValue = 0.463;

    /// <summary>Above this seasonal strength one seasonal difference is taken (R's <c>nsdiffs(test = "seas")</c>).</summary>
    public const double SeasonalStrengthThreshold = 0.64;

    /// <summary>
    /// The KPSS statistic for level stationarity with a Bartlett long-run variance of trunc(3√n/13) lags, as
    /// <c>urca::ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(n) / 13))</c>, which ndiffs runs.
    /// </summary>
    public static double KpssStatistic(ReadOnlySpan<double> x)
    {
        var n = x.Length;
        var mean = 0.0;
        foreach (var v in x) mean += v;
        mean /= n;
        var lags = (int)Math.Truncate(3 * Math.Sqrt(n) / 13);
        double partial = 0, numerator = 0, s2 = 0;
        for (var t = 0; t < n; t++)
        {
            var e = x[t] - mean;
            partial += e;
            numerator += partial * partial;
            s2 += e * e;
        }
        numerator /= (double)n * n;
        var denominator = s2 / n;
        for (var lag = 1; lag <= lags; lag++)
        {
            var covariance = 0.0;
            for (var t = lag; t < n; t++) covariance += (x[t] - mean) * (x[t - lag] - mean);
            denominator += 2.0 / n * (1 - lag / (lags + 1.0)) * covariance;
        }
        return numerator / denominator;
    }

    /// <summary>
    /// R's <c>ndiffs(x, test = "kpss", alpha = 0.05, max.d)</c>: differences while the KPSS test rejects level
    /// stationarity at 5%, stopping early when the series becomes constant.
    /// </summary>
    public static int Ndiffs(ReadOnlySpan<double> x, int maxDifferences = 2)
    {
        var current = x.ToArray();
        if (IsConstant(current)) return 0;
        var d = 0;
        while (d < maxDifferences && current.Length > 1 && KpssStatistic(current) > KpssCriticalValue)
        {
            d++;
            current = SeriesDifferencing.Difference(current, 1, 0, 0);
            if (IsConstant(current)) return d;
        }
        return d;
    }

    /// <summary>
    /// R's seasonal strength (<c>forecast:::seas.heuristic</c>): max(0, min(1, 1 − Var(R) / Var(R + S))) with S and R
    /// the seasonal and remainder of <c>stl(x, s.window = 11)</c>. Needs more than two full seasons.
    /// </summary>
    public static double SeasonalStrength(ReadOnlySpan<double> x, int season)
    {
        if (season < 2 || x.Length <= 2 * season)
            throw new ArgumentException($"The seasonal strength needs a season of at least 2 and more than two seasons of data; got season {season} and {x.Length} observations.");
        var (seasonal, trend) = Mstl.Stl.Decompose(x, season, 11);
        var remainder = new double[x.Length];
        var detrended = new double[x.Length];
        for (var t = 0; t < x.Length; t++)
        {
            remainder[t] = x[t] - seasonal[t] - trend[t];
            detrended[t] = remainder[t] + seasonal[t];
        }
        return Math.Max(0, Math.Min(1, 1 - Variance(remainder) / Variance(detrended)));
    }

    /// <summary>
    /// R's <c>nsdiffs(x, test = "seas", max.D = 1)</c>: one seasonal difference when the seasonal strength exceeds
    /// 0.64; none for series of at most two seasons (where R's STL refuses) or without a season.
    /// </summary>
    public static int Nsdiffs(ReadOnlySpan<double> x, int season)
    {
        if (season < 2 || x.Length <= 2 * season || IsConstant(x)) return 0;
        return SeasonalStrength(x, season) > SeasonalStrengthThreshold ? 1 : 0;
    }

    /// <summary>R's <c>is.constant</c>: all values equal to the first up to all.equal's relative tolerance 1.5e-8.</summary>
    internal static bool IsConstant(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return true;
        double difference = 0, scale = 0;
        foreach (var v in x)
        {
            difference += Math.Abs(v - x[0]);
            scale += Math.Abs(x[0]);
        }
        return scale > 0 ? difference / scale < 1.5e-8 : difference < 1.5e-8;
    }

    private static double Variance(double[] x)
    {
        var mean = x.Average();
        var sum = 0.0;
        foreach (var v in x) sum += (v - mean) * (v - mean);
        return sum / (x.Length - 1);
    }
}
