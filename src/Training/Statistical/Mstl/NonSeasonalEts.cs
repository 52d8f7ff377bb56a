namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// Additive-error exponential smoothing without a seasonal component, for mstl's seasonally adjusted series
/// (<c>method: ets</c>): ETS(A,N,N), ETS(A,A,N) or ETS(A,Ad,N), each by maximum likelihood and the one of lowest AICc
/// chosen, as R's <c>ets(model = "ZZN", additive.only = TRUE)</c> with R's parameter bounds (α in [1e-4, 0.9999],
/// β in [1e-4, α], φ in [0.8, 0.98]) and R's likelihood (n log SSE). The initial level and slope enter the one-step
/// errors linearly, so for given smoothing parameters they are solved by least squares rather than searched; a
/// forecast from another history solves them again on that history with the fitted smoothing parameters.
/// Multiplicative errors, which R's default also tries, are not offered here.
/// </summary>
internal sealed record NonSeasonalEts(NonSeasonalEts.TrendKind Trend, double Alpha, double Beta, double Phi, double Sigma2, double LogLikelihood, double Aicc)
    : IUnivariateForecaster
{
    public enum TrendKind { None, Additive, Damped }

    private const double Lower = 1e-4, Upper = 0.9999, PhiLower = 0.8, PhiUpper = 0.98;

    public int MinimumHistory => 3;

    /// <summary>R's name of the model: ETS(A,N,N), ETS(A,A,N) or ETS(A,Ad,N).</summary>
    public string Name => Trend switch { TrendKind.None => "ETS(A,N,N)", TrendKind.Additive => "ETS(A,A,N)", _ => "ETS(A,Ad,N)" };

    /// <summary>Smoothing parameters, initial states and σ², as R counts them for the information criteria.</summary>
    public int ParameterCount => Trend switch { TrendKind.None => 2, TrendKind.Additive => 4, _ => 5 } + 1;

    /// <summary>Fits the three trends and keeps the one of lowest AICc.</summary>
    public static NonSeasonalEts Select(ReadOnlySpan<double> y) =>
        new[] { Fit(y, TrendKind.None), Fit(y, TrendKind.Additive), Fit(y, TrendKind.Damped) }.MinBy(m => m.Aicc)!;

    public static NonSeasonalEts Fit(ReadOnlySpan<double> y, TrendKind trend)
    {
        var data = y.ToArray();
        var dimension = trend switch { TrendKind.None => 1, TrendKind.Additive => 2, _ => 3 };
        double Objective(double[] u)
        {
            var (alpha, beta, phi) = Parameters(trend, u);
            var sse = SumOfSquares(data, trend, alpha, beta, phi, out _, out _);
            return double.IsFinite(sse) && sse > 0 ? data.Length * Math.Log(sse) : 1e100;
        }
        var minimizer = new LbfgsMinimizer(Objective, (points, values, _) => { for (var i = 0; i < points.Count; i++) values[i] = Objective(points[i]); },
            dimension, new LbfgsMinimizer.Options(GradientTolerance: 1e-8, RelativeReductionTolerance: 1e-13, MaxIterations: 200, CentralDifferences: true));
        // Two starts, a slow and a fast level, as the likelihood can have a second mode near α = 1.
        LbfgsMinimizer.Result? best = null;
        foreach (var start in new[] { -1.4, 1.4 })
        {
            var result = minimizer.Minimise([.. Enumerable.Repeat(start, 1), .. Enumerable.Repeat(-1.0, dimension - 1)]);
            if (best is null || result.Value < best.Value) best = result;
        }
        var (a, b, p) = Parameters(trend, best!.Point);
        var n = data.Length;
        var sumOfSquares = SumOfSquares(data, trend, a, b, p, out _, out _);
        var model = new NonSeasonalEts(trend, a, b, p, 0, 0, 0);
        var parameters = model.ParameterCount;
        // R: lik = n log SSE, loglik = −lik / 2, AIC = lik + 2k with k counting σ², σ² = SSE / (n − k + 1).
        var lik = n * Math.Log(sumOfSquares);
        var aic = lik + 2 * parameters;
        return model with
        {
            Sigma2 = sumOfSquares / (n - (parameters - 1)),
            LogLikelihood = -0.5 * lik,
            Aicc = aic + 2.0 * parameters * (parameters + 1) / (n - parameters - 1),
        };
    }

    /// <summary>Unbounded optimiser coordinates to R's bounded parameters (β below α).</summary>
    private static (double Alpha, double Beta, double Phi) Parameters(TrendKind trend, double[] u)
    {
        static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
        var alpha = Lower + (Upper - Lower) * Logistic(u[0]);
        var beta = trend == TrendKind.None ? 0 : Lower + (alpha - Lower) * Logistic(u[1]);
        var phi = trend switch { TrendKind.None => 0, TrendKind.Additive => 1, _ => PhiLower + (PhiUpper - PhiLower) * Logistic(u[2]) };
        return (alpha, beta, phi);
    }

    /// <summary>
    /// The smallest sum of squared one-step errors over the initial level and slope, and the final level and slope.
    /// With states s = (ℓ, b), s_t = D s_{t−1} + g y_t and e_t = y_t − w′s_{t−1}, with D = F − g w′; so
    /// e_t = e⁰_t − w′D^{t−1} s_0, e⁰ being the errors from a zero start: a least-squares problem in s_0.
    /// </summary>
    private static double SumOfSquares(ReadOnlySpan<double> y, TrendKind trend, double alpha, double beta, double phi, out double level, out double slope)
    {
        var n = y.Length;
        var hasTrend = trend != TrendKind.None;
        // Zero-start errors e⁰ and the regressors z_t = w′D^{t−1} (z for ℓ0 and for b0), accumulated into normal equations.
        double l = 0, b = 0, zl = 1, zb = hasTrend ? phi : 0;
        double szz11 = 0, szz12 = 0, szz22 = 0, sze1 = 0, sze2 = 0, see = 0;
        for (var t = 0; t < n; t++)
        {
            var e = y[t] - (l + phi * b);
            szz11 += zl * zl; szz12 += zl * zb; szz22 += zb * zb;
            sze1 += zl * e; sze2 += zb * e; see += e * e;
            (l, b) = (l + phi * b + alpha * e, phi * b + beta * e);
            // z′ ← z′D, D = [[1 − α, φ(1 − α)], [−β, φ(1 − β)]].
            (zl, zb) = (zl * (1 - alpha) - zb * beta, hasTrend ? zl * phi * (1 - alpha) + zb * phi * (1 - beta) : 0);
        }
        double l0, b0 = 0;
        var det = szz11 * szz22 - szz12 * szz12;
        if (hasTrend && det > 1e-12 * szz11 * szz22)
        {
            l0 = (sze1 * szz22 - sze2 * szz12) / det;
            b0 = (sze2 * szz11 - sze1 * szz12) / det;
        }
        else l0 = sze1 / szz11;
        // The final states from that start, and its sum of squares, by one more pass.
        (level, slope) = (l0, b0);
        double sum = 0;
        for (var t = 0; t < n; t++)
        {
            var e = y[t] - (level + phi * slope);
            sum += e * e;
            (level, slope) = (level + phi * slope + alpha * e, phi * slope + beta * e);
        }
        return sum;
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        SumOfSquares(history, Trend, Alpha, Beta, Phi, out var level, out var slope);
        var mean = new double[horizon];
        var variance = new double[horizon];
        double damping = 0, spread = 0;
        for (var k = 1; k <= horizon; k++)
        {
            // Step k: ℓ + (φ + … + φ^k) b; variance σ²(1 + Σ_{j<k} c_j²), c_j = α + β(φ + … + φ^j) (Hyndman et al. 2008, class 1).
            var previous = damping;
            damping += Trend == TrendKind.None ? 0 : Math.Pow(Phi, k);
            mean[k - 1] = level + damping * slope;
            if (k > 1)
            {
                var c = Alpha + Beta * previous;
                spread += c * c;
            }
            variance[k - 1] = Sigma2 * (1 + spread);
        }
        return (mean, variance);
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon)
    {
        var rows = new double[origins.Count][];
        for (var o = 0; o < origins.Count; o++) rows[o] = Forecast(values[..origins[o]], horizon).Mean;
        return rows;
    }

    /// <summary>What the model summary reports.</summary>
    public object Describe() => new
    {
        model = Name,
        alpha = Alpha,
        beta = Trend == TrendKind.None ? (double?)null : Beta,
        phi = Trend == TrendKind.Damped ? Phi : (double?)null,
        sigma2 = Sigma2,
        logLikelihood = LogLikelihood,
        aicc = Aicc,
    };
}
