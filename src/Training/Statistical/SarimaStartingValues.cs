using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Starting values as statsmodels SARIMAX computes them: OLS for the constant (and, with regressors, the regression
/// coefficients jointly: statsmodels' ARIMA makes its trend a regressor, <c>pinv(X) · y</c> on the differenced series
/// and differenced regressors) on the differenced series, then
/// conditional least squares (Hannan–Rissanen style: a long AR fit supplies residuals standing in for the
/// shocks) for the non-seasonal and, separately, the seasonal ARMA terms. Non-stationary or non-invertible
/// estimates are replaced by zeros, as statsmodels does.
/// </summary>
internal static class SarimaStartingValues
{
    /// <summary>
    /// Constrained parameters [const][x1..xk][ar][ma][sar][sma][sigma2] in the units of <paramref name="differenced"/>;
    /// <paramref name="differencedRegressors"/> are the regressors differenced as the series was.
    /// </summary>
    public static double[] Compute(SarimaSpec spec, ReadOnlySpan<double> differenced, IReadOnlyList<double[]>? differencedRegressors = null)
    {
        var w = differenced.ToArray();
        var parameters = new List<double>(spec.ParameterCount);
        if (spec.Regressors > 0)
        {
            // The constant's regressor, differenced, is all ones (SeriesDifferencing.ConstantRegressor).
            var columns = (spec.IncludeConstant ? [Enumerable.Repeat(1.0, w.Length).ToArray()] : Array.Empty<double[]>()).Concat(differencedRegressors!).ToArray();
            var design = Matrix<double>.Build.Dense(w.Length, columns.Length, (i, j) => columns[j][i]);
            var coefficients = PseudoInverseSolve(design, Vector<double>.Build.Dense(w));
            var fitted = design * coefficients;
            for (var t = 0; t < w.Length; t++) w[t] -= fitted[t];
            parameters.AddRange(coefficients);
        }
        else if (spec.IncludeConstant)
        {
            var mean = w.Average();
            for (var t = 0; t < w.Length; t++) w[t] -= mean;
            parameters.Add(mean);
        }

        var s = spec.EffectiveSeason;
        var (ar, ma, variance) = ConditionalSumOfSquares(w, spec.ArOrder, spec.MaOrder, 1);
        if (!StationarityTransform.IsStationary(ar)) Array.Clear(ar);
        if (!StationarityTransform.IsStationary(Negate(ma))) Array.Clear(ma);
        var (seasonalAr, seasonalMa, seasonalVariance) = ConditionalSumOfSquares(w, spec.SeasonalArOrder, spec.SeasonalMaOrder, Math.Max(s, 1));
        if (!StationarityTransform.IsStationary(seasonalAr)) Array.Clear(seasonalAr);
        if (!StationarityTransform.IsStationary(Negate(seasonalMa))) Array.Clear(seasonalMa);

        parameters.AddRange(ar);
        parameters.AddRange(ma);
        parameters.AddRange(seasonalAr);
        parameters.AddRange(seasonalMa);
        var sigma2 = variance ?? seasonalVariance ?? Dot(w) / Math.Max(1, w.Length);
        parameters.Add(Math.Max(sigma2, 1e-10));
        return [.. parameters];
    }

    private static double[] Negate(double[] values) => values.Select(v => -v).ToArray();

    private static double Dot(double[] w) => w.Sum(v => v * v);

    /// <summary>
    /// statsmodels' <c>_conditional_sum_squares</c> for lags at multiples of <paramref name="lagStep"/>:
    /// returns AR and MA coefficients and the residual variance (null when there are no terms).
    /// </summary>
    private static (double[] Ar, double[] Ma, double? Variance) ConditionalSumOfSquares(double[] y, int arTerms, int maTerms, int lagStep)
    {
        var ar = new double[arTerms];
        var ma = new double[maTerms];
        if (arTerms + maTerms == 0) return (ar, ma, null);
        var kAr = arTerms * lagStep;
        var kMa = maTerms * lagStep;
        var k = 2 * kMa;
        var r = Math.Max(k + kMa, kAr);
        if (y.Length - r <= arTerms + maTerms || y.Length - k <= k)
        {
            // Too short for the regressions: zeros and the raw variance, as statsmodels falls back to.
            var mean = y.Average();
            var residual = y.Select(v => v - mean).ToArray();
            return (ar, ma, residual.Sum(v => v * v) / residual.Length);
        }

        double[]? longResiduals = null;
        if (kMa > 0)
        {
            // AR(k) regression; its residuals stand in for the unobserved shocks.
            var rows = y.Length - k;
            var x = Matrix<double>.Build.Dense(rows, k, (i, j) => y[k + i - j - 1]);
            var target = Vector<double>.Build.Dense(rows, i => y[k + i]);
            var coefficients = LeastSquares(x, target);
            longResiduals = (target - x * coefficients).ToArray();
        }

        var count = y.Length - r;
        var columns = arTerms + maTerms;
        var design = Matrix<double>.Build.Dense(count, columns);
        for (var i = 0; i < count; i++)
        {
            var t = r + i;
            for (var j = 0; j < arTerms; j++) design[i, j] = y[t - (j + 1) * lagStep];
            // longResiduals[u] is the shock at time u + k.
            for (var j = 0; j < maTerms; j++) design[i, arTerms + j] = longResiduals![t - k - (j + 1) * lagStep];
        }
        var response = Vector<double>.Build.Dense(count, i => y[r + i]);
        var solution = LeastSquares(design, response);
        var residuals = response - design * solution;
        for (var j = 0; j < arTerms; j++) ar[j] = solution[j];
        for (var j = 0; j < maTerms; j++) ma[j] = solution[arTerms + j];
        var skip = Math.Min(maTerms, residuals.Count - 1);
        var variance = 0.0;
        for (var i = skip; i < residuals.Count; i++) variance += residuals[i] * residuals[i];
        return (ar, ma, variance / (residuals.Count - skip));
    }

    /// <summary>
    /// numpy's <c>pinv(X) · y</c>: the minimum-norm least-squares solution, singular values below 1e-15 × the largest
    /// treated as zero (a regressor the differencing wipes out, such as a weekday dummy under weekly differencing, starts at 0).
    /// </summary>
    private static Vector<double> PseudoInverseSolve(Matrix<double> design, Vector<double> response)
    {
        var svd = design.Svd(computeVectors: true);
        var cutoff = 1e-15 * svd.S.Maximum();
        var projected = svd.U.TransposeThisAndMultiply(response);
        var inner = Vector<double>.Build.Dense(design.ColumnCount);
        for (var i = 0; i < svd.S.Count; i++) inner[i] = svd.S[i] > cutoff ? projected[i] / svd.S[i] : 0;
        return svd.VT.TransposeThisAndMultiply(inner);
    }

    /// <summary>Least squares through the normal equations (Cholesky), falling back to the SVD pseudo-inverse when they are singular.</summary>
    private static Vector<double> LeastSquares(Matrix<double> design, Vector<double> response)
    {
        var gram = design.TransposeThisAndMultiply(design);
        var moment = design.TransposeThisAndMultiply(response);
        try
        {
            var solution = gram.Cholesky().Solve(moment);
            if (solution.All(double.IsFinite)) return solution;
        }
        catch (ArgumentException) { }
        return design.Svd().Solve(response);
    }
}
