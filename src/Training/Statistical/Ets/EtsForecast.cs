namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// Forecast means and variances from a state, in closed form (Hyndman et al. 2008, ch. 6; R's forecast.ets):
/// class 1 (additive errors, linear trend and season), class 2 (multiplicative errors, linear trend and season:
/// the class 1 weights with the θ recursion) and class 3 (multiplicative errors and season, no or additive trend:
/// the Kronecker recursion of the level-trend and seasonal moments). The selection offers only these models, so no
/// forecast is simulated.
/// </summary>
public static class EtsForecast
{
    public static (double[] Mean, double[] Variance) Compute(EtsFit fit, ReadOnlySpan<double> state, int horizon, bool withVariance = true)
    {
        var model = fit.Model;
        if (model.Error == EtsComponent.Multiplicative && model.Season == EtsComponent.Multiplicative)
            return ClassThree(model, fit.Parameters, fit.Sigma2, state, horizon, withVariance);
        if (model.Season == EtsComponent.Multiplicative || model.Trend == EtsComponent.Multiplicative)
            throw new NotSupportedException($"{model.Name} has no closed-form forecast variance here; the selection does not offer it.");
        var (mean, weights) = Linear(model, fit.Parameters, state, horizon);
        var variance = new double[horizon];
        if (!withVariance) return (mean, variance);
        var sigma2 = fit.Sigma2;
        if (model.Error == EtsComponent.Additive)
        {
            double cumulative = 0;
            variance[0] = sigma2;
            for (var j = 1; j < horizon; j++)
            {
                cumulative += weights[j - 1] * weights[j - 1];
                variance[j] = sigma2 * (1 + cumulative);
            }
            return (mean, variance);
        }
        // Class 2: θ_1 = μ_1², θ_j = μ_j² + σ² Σ_{i<j} c_i² θ_{j−i}; variance (1 + σ²) θ_j − μ_j².
        var theta = new double[horizon];
        for (var j = 0; j < horizon; j++)
        {
            double sum = 0;
            for (var i = 0; i < j; i++) sum += weights[i] * weights[i] * theta[j - 1 - i];
            theta[j] = mean[j] * mean[j] + sigma2 * sum;
            variance[j] = (1 + sigma2) * theta[j] - mean[j] * mean[j];
        }
        return (mean, variance);
    }

    /// <summary>
    /// The linear state space form x_t = F x_{t−1} + g ε_t, ŷ = w x_{t−1}: μ_j = w F^{j−1} x and c_j = w F^{j−1} g,
    /// the weight of a shock j steps before. g carries gamma at the most recent seasonal index (R's class1 puts it at the
    /// third state, which is the second seasonal index when there is no trend).
    /// </summary>
    private static (double[] Mean, double[] Weights) Linear(EtsModel model, EtsParameters p, ReadOnlySpan<double> state, int horizon)
    {
        var size = model.StateCount;
        var seasonStart = EtsRecursion.StateIndexOfSeason(model);
        var m = model.Period;
        var row = new double[size]; // w F^j
        row[0] = 1;
        if (model.HasTrend) row[1] = p.Phi;
        if (model.HasSeason) row[size - 1] = 1;
        var g = new double[size];
        g[0] = p.Alpha;
        if (model.HasTrend) g[1] = p.Beta;
        if (model.HasSeason) g[seasonStart] = p.Gamma;
        var mean = new double[horizon];
        var weights = new double[horizon];
        var next = new double[size];
        for (var j = 0; j < horizon; j++)
        {
            double mu = 0, c = 0;
            for (var i = 0; i < size; i++) { mu += row[i] * state[i]; c += row[i] * g[i]; }
            mean[j] = mu;
            weights[j] = c;
            // next = row · F: level (1, φ), growth (0, φ), seasonal shift (s1 ← s_m, s_{i+1} ← s_i).
            Array.Clear(next);
            next[0] = row[0];
            if (model.HasTrend) next[1] = p.Phi * row[0] + p.Phi * row[1];
            if (model.HasSeason)
            {
                next[size - 1] += row[seasonStart];
                for (var i = 0; i < m - 1; i++) next[seasonStart + i] += row[seasonStart + i + 1];
            }
            (row, next) = (next, row);
        }
        return (mean, weights);
    }

    /// <summary>
    /// Class 3 (Hyndman et al. 2008, §6.3): y = (H1 x)(H2 z)(1 + ε), x ← (F1 + G1 ε) x, z ← (F2 + G2 ε) z, with the
    /// moments M = E[x zᵀ] and V = Var(vec(x zᵀ)). For a damped trend H1 = (1, φ), F1 = [[1, φ], [0, φ]],
    /// G1 = [[α, αφ], [β, βφ]] (R's class3 uses φ = 1 in H1, F1 and G1 and so shifts a damped trend by one step).
    /// </summary>
    private static (double[] Mean, double[] Variance) ClassThree(EtsModel model, EtsParameters p, double sigma2, ReadOnlySpan<double> state, int horizon, bool withVariance)
    {
        var q = model.HasTrend ? 2 : 1;
        var m = model.Period;
        var phi = p.Phi;
        var h1 = q == 1 ? new double[] { 1 } : [1, phi];
        var f1 = q == 1 ? new double[,] { { 1 } } : new double[,] { { 1, phi }, { 0, phi } };
        var g1 = q == 1 ? new double[,] { { p.Alpha } } : new double[,] { { p.Alpha, p.Alpha * phi }, { p.Beta, p.Beta * phi } };
        var f2 = new double[m, m];
        f2[0, m - 1] = 1;
        for (var i = 1; i < m; i++) f2[i, i - 1] = 1;
        var g2 = new double[m, m];
        g2[0, m - 1] = p.Gamma;
        var moments = new double[q, m]; // M = x zᵀ
        for (var i = 0; i < q; i++)
            for (var j = 0; j < m; j++) moments[i, j] = state[i] * state[q + j];
        var size = q * m;
        var h21 = new double[size]; // H2 ⊗ H1 with H2 = e_m
        for (var i = 0; i < q; i++) h21[(m - 1) * q + i] = h1[i];
        double[,]? f21 = null, g21 = null, k = null, v = null;
        if (withVariance)
        {
            f21 = Kronecker(f2, f1);
            g21 = Kronecker(g2, g1);
            k = Add(Kronecker(g2, f1), Kronecker(f2, g1));
            v = new double[size, size];
        }
        var mean = new double[horizon];
        var variance = new double[horizon];
        for (var step = 0; step < horizon; step++)
        {
            double mu = 0;
            for (var i = 0; i < q; i++) mu += h1[i] * moments[i, m - 1];
            mean[step] = mu;
            if (withVariance)
            {
                variance[step] = (1 + sigma2) * QuadraticForm(h21, v!) + sigma2 * mu * mu;
                var vec = new double[size]; // column-major vec(M)
                for (var j = 0; j < m; j++)
                    for (var i = 0; i < q; i++) vec[j * q + i] = moments[i, j];
                var outer = Outer(vec);
                var vPlusOuter = Add(v!, outer);
                var threeVTwoOuter = Add(Scale(v!, 3), Scale(outer, 2));
                var inner = Add(Add(Sandwich(f21!, v!, g21!), Sandwich(g21!, v!, f21!)),
                    Add(Sandwich(k!, vPlusOuter, k!), Scale(Sandwich(g21!, threeVTwoOuter, g21!), sigma2)));
                v = Add(Sandwich(f21!, v!, f21!), Scale(inner, sigma2));
            }
            moments = Add(Multiply(Multiply(f1, moments), Transpose(f2)), Scale(Multiply(Multiply(g1, moments), Transpose(g2)), sigma2));
        }
        return (mean, variance);
    }

    private static double[,] Kronecker(double[,] a, double[,] b)
    {
        int ar = a.GetLength(0), ac = a.GetLength(1), br = b.GetLength(0), bc = b.GetLength(1);
        var result = new double[ar * br, ac * bc];
        for (var i = 0; i < ar; i++)
            for (var j = 0; j < ac; j++)
            {
                if (a[i, j] == 0) continue;
                for (var r = 0; r < br; r++)
                    for (var c = 0; c < bc; c++) result[i * br + r, j * bc + c] = a[i, j] * b[r, c];
            }
        return result;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int rows = a.GetLength(0), inner = a.GetLength(1), cols = b.GetLength(1);
        var result = new double[rows, cols];
        for (var i = 0; i < rows; i++)
            for (var l = 0; l < inner; l++)
            {
                var x = a[i, l];
                if (x == 0) continue;
                for (var j = 0; j < cols; j++) result[i, j] += x * b[l, j];
            }
        return result;
    }

    /// <summary>A B Cᵀ.</summary>
    private static double[,] Sandwich(double[,] a, double[,] b, double[,] c) => Multiply(Multiply(a, b), Transpose(c));

    private static double[,] Transpose(double[,] a)
    {
        var result = new double[a.GetLength(1), a.GetLength(0)];
        for (var i = 0; i < a.GetLength(0); i++)
            for (var j = 0; j < a.GetLength(1); j++) result[j, i] = a[i, j];
        return result;
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var result = (double[,])a.Clone();
        for (var i = 0; i < a.GetLength(0); i++)
            for (var j = 0; j < a.GetLength(1); j++) result[i, j] += b[i, j];
        return result;
    }

    private static double[,] Scale(double[,] a, double factor)
    {
        var result = (double[,])a.Clone();
        for (var i = 0; i < a.GetLength(0); i++)
            for (var j = 0; j < a.GetLength(1); j++) result[i, j] *= factor;
        return result;
    }

    private static double[,] Outer(double[] x)
    {
        var result = new double[x.Length, x.Length];
        for (var i = 0; i < x.Length; i++)
            for (var j = 0; j < x.Length; j++) result[i, j] = x[i] * x[j];
        return result;
    }

    private static double QuadraticForm(double[] x, double[,] a)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] == 0) continue;
            for (var j = 0; j < x.Length; j++) sum += x[i] * a[i, j] * x[j];
        }
        return sum;
    }
}
