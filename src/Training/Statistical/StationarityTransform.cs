namespace Forecasting.Training.Statistical;

/// <summary>
/// Maps unconstrained reals to the coefficients of a stationary AR polynomial and back, through partial
/// autocorrelations r = u/√(1+u²) and the Durbin–Levinson recursion (Monahan 1984; Jones 1980). Same
/// convention as statsmodels' <c>constrain_stationary_univariate</c>: AR uses the result, MA its negation.
/// </summary>
internal static class StationarityTransform
{
    /// <summary>Writes stationary coefficients φ (for 1 − φ₁L − … ) into <paramref name="constrained"/>.</summary>
    public static void Constrain(ReadOnlySpan<double> unconstrained, Span<double> constrained, Span<double> scratch)
    {
        var n = unconstrained.Length;
        if (n == 0) return;
        // scratch holds two rows of the Levinson table: previous and current.
        var previous = scratch[..n];
        var current = scratch.Slice(n, n);
        for (var k = 0; k < n; k++)
        {
            var r = unconstrained[k] / Math.Sqrt(1 + unconstrained[k] * unconstrained[k]);
            for (var i = 0; i < k; i++) current[i] = previous[i] + r * previous[k - i - 1];
            current[k] = r;
            current[..(k + 1)].CopyTo(previous);
        }
        for (var i = 0; i < n; i++) constrained[i] = -previous[i];
    }

    /// <summary>Inverse of <see cref="Constrain"/>; coefficients must be stationary.</summary>
    public static void Unconstrain(ReadOnlySpan<double> constrained, Span<double> unconstrained)
    {
        var n = constrained.Length;
        if (n == 0) return;
        var table = new double[n, n];
        for (var i = 0; i < n; i++) table[n - 1, i] = -constrained[i];
        for (var k = n - 1; k > 0; k--)
        {
            var rk = table[k, k];
            for (var i = 0; i < k; i++)
                table[k - 1, i] = (table[k, i] - rk * table[k, k - i - 1]) / (1 - rk * rk);
        }
        for (var k = 0; k < n; k++)
        {
            var r = table[k, k];
            unconstrained[k] = r / Math.Sqrt(1 - r * r);
        }
    }

    /// <summary>True when every root of 1 − φ₁z − … − φₙzⁿ lies outside the unit circle (Schur–Cohn via Levinson).</summary>
    public static bool IsStationary(ReadOnlySpan<double> coefficients)
    {
        var n = coefficients.Length;
        if (n == 0) return true;
        var a = new double[n];
        for (var i = 0; i < n; i++) a[i] = coefficients[i];
        // Step down: each partial autocorrelation must be inside (−1, 1).
        for (var k = n - 1; k >= 0; k--)
        {
            var r = a[k];
            if (!double.IsFinite(r) || Math.Abs(r) >= 1 - 1e-10) return false;
            if (k == 0) break;
            var next = new double[k];
            for (var i = 0; i < k; i++) next[i] = (a[i] + r * a[k - i - 1]) / (1 - r * r);
            Array.Copy(next, a, k);
        }
        return true;
    }
}
