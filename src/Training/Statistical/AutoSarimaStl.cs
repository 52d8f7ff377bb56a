namespace Forecasting.Training.Statistical;

/// <summary>
/// The seasonal-trend decomposition by loess of R's <c>stl()</c> (Cleveland et al. 1990; a port of its Fortran,
/// non-robust: two inner passes, no outer), only as far as <see cref="Differencing.SeasonalStrength"/> needs it.
/// Kept private to auto_sarima; a full STL for MSTL lives in <c>Mstl/</c>, and the two can be merged.
/// </summary>
internal static class AutoSarimaStl
{
    /// <summary>Seasonal and trend components of <paramref name="y"/> as R's <c>stl(y, s.window)</c> with its other defaults.</summary>
    public static (double[] Seasonal, double[] Trend) Decompose(ReadOnlySpan<double> y, int period, int seasonalWindow)
    {
        var n = y.Length;
        var trendWindow = NextOdd(Math.Ceiling(1.5 * period / (1 - 1.5 / seasonalWindow)));
        var lowPassWindow = NextOdd(period);
        int ns = Math.Max(3, Odd(seasonalWindow)), nt = Math.Max(3, Odd(trendWindow)), nl = Math.Max(3, Odd(lowPassWindow));
        int nsJump = (int)Math.Ceiling(seasonalWindow / 10.0), ntJump = (int)Math.Ceiling(trendWindow / 10.0), nlJump = (int)Math.Ceiling(lowPassWindow / 10.0);
        var np = Math.Max(2, period);
        var seasonal = new double[n];
        var trend = new double[n];
        var w1 = new double[n + 2 * np];
        var w2 = new double[n + 2 * np];
        var w3 = new double[n + 2 * np];
        var w4 = new double[n + 2 * np];
        var w5 = new double[n + 2 * np];
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < n; i++) w1[i] = y[i] - trend[i];
            CycleSubseries(w1, n, np, ns, 0, nsJump, w2, w3, w4, w5);
            LowPass(w2, n + 2 * np, np, w3, w1);
            Smooth(w3, n, nl, 1, nlJump, w1, w5);
            for (var i = 0; i < n; i++) seasonal[i] = w2[np + i] - w1[i];
            for (var i = 0; i < n; i++) w1[i] = y[i] - seasonal[i];
            Smooth(w1, n, nt, 1, ntJump, trend, w3);
        }
        return (seasonal, trend);
    }

    private static int NextOdd(double x)
    {
        var r = (int)Math.Round(x, MidpointRounding.ToEven);
        return r % 2 == 0 ? r + 1 : r;
    }

    private static int Odd(int x) => x % 2 == 0 ? x + 1 : x;

    /// <summary>stlss: smooths each cycle-subseries and extends it one period at both ends (output length n + 2·np).</summary>
    private static void CycleSubseries(double[] y, int n, int np, int ns, int degree, int jump, double[] season, double[] work1, double[] work2, double[] work3)
    {
        for (var j = 0; j < np; j++)
        {
            var k = (n - j - 1) / np + 1;
            for (var i = 0; i < k; i++) work1[i] = y[i * np + j];
            var smoothed = new Span<double>(work2, 1, k);
            Smooth(work1, k, ns, degree, jump, smoothed, work3);
            var nright = Math.Min(ns, k);
            if (!Estimate(work1, k, ns, degree, 0, out work2[0], 1, nright, work3)) work2[0] = work2[1];
            var nleft = Math.Max(1, k - ns + 1);
            if (!Estimate(work1, k, ns, degree, k + 1, out work2[k + 1], nleft, k, work3)) work2[k + 1] = work2[k];
            for (var m = 0; m < k + 2; m++) season[m * np + j] = work2[m];
        }
    }

    /// <summary>stlfts: moving averages of lengths np, np and 3; output length n − 2·np.</summary>
    private static void LowPass(double[] x, int n, int np, double[] trend, double[] work)
    {
        MovingAverage(x, n, np, trend);
        MovingAverage(trend, n - np + 1, np, work);
        MovingAverage(work, n - 2 * np + 2, 3, trend);
    }

    private static void MovingAverage(double[] x, int n, int length, double[] average)
    {
        var count = n - length + 1;
        var v = 0.0;
        for (var i = 0; i < length; i++) v += x[i];
        average[0] = v / length;
        for (var j = 1; j < count; j++)
        {
            v = v - x[j - 1] + x[length + j - 1];
            average[j] = v / length;
        }
    }

    /// <summary>stless: loess of y[0..n) at every jump-th point, linearly interpolated between.</summary>
    private static void Smooth(double[] y, int n, int length, int degree, int jump, Span<double> ys, double[] work)
    {
        if (n < 2) { ys[0] = y[0]; return; }
        var step = Math.Min(jump, n - 1);
        int nleft = 1, nright = n;
        // Positions are 1-based as in the Fortran, so that the loess weights match it exactly.
        if (length >= n)
        {
            for (var i = 1; i <= n; i += step)
                if (!Estimate(y, n, length, degree, i, out ys[i - 1], nleft, nright, work)) ys[i - 1] = y[i - 1];
        }
        else if (step == 1)
        {
            var half = (length + 1) / 2;
            nright = length;
            for (var i = 1; i <= n; i++)
            {
                if (i > half && nright != n) { nleft++; nright++; }
                if (!Estimate(y, n, length, degree, i, out ys[i - 1], nleft, nright, work)) ys[i - 1] = y[i - 1];
            }
        }
        else
        {
            var half = (length + 1) / 2;
            for (var i = 1; i <= n; i += step)
            {
                if (i < half) { nleft = 1; nright = length; }
                else if (i >= n - half + 1) { nleft = n - length + 1; nright = n; }
                else { nleft = i - half + 1; nright = length + i - half; }
                if (!Estimate(y, n, length, degree, i, out ys[i - 1], nleft, nright, work)) ys[i - 1] = y[i - 1];
            }
        }
        if (step == 1) return;
        for (var i = 1; i <= n - step; i += step)
        {
            var delta = (ys[i + step - 1] - ys[i - 1]) / step;
            for (var j = i + 1; j < i + step; j++) ys[j - 1] = ys[i - 1] + delta * (j - i);
        }
        var k = (n - 1) / step * step + 1;
        if (k == n) return;
        if (!Estimate(y, n, length, degree, n, out ys[n - 1], nleft, nright, work)) ys[n - 1] = y[n - 1];
        if (k == n - 1) return;
        var d = (ys[n - 1] - ys[k - 1]) / (n - k);
        for (var j = k + 1; j < n; j++) ys[j - 1] = ys[k - 1] + d * (j - k);
    }

    /// <summary>stlest: the local (degree 0 or 1) tricube-weighted fit at position xs over [nleft, nright], 1-based.</summary>
    private static bool Estimate(double[] y, int n, int length, int degree, double xs, out double ys, int nleft, int nright, double[] w)
    {
        double range = n - 1;
        var h = Math.Max(xs - nleft, nright - xs);
        if (length > n) h += (length - n) / 2;
        double h9 = 0.999 * h, h1 = 0.001 * h;
        var a = 0.0;
        for (var j = nleft; j <= nright; j++)
        {
            w[j - 1] = 0;
            var r = Math.Abs(j - xs);
            if (r > h9) continue;
            if (r <= h1) w[j - 1] = 1;
            else { var u = r / h; var c = 1 - u * u * u; w[j - 1] = c * c * c; }
            a += w[j - 1];
        }
        ys = 0;
        if (a <= 0) return false;
        for (var j = nleft; j <= nright; j++) w[j - 1] /= a;
        if (h > 0 && degree > 0)
        {
            a = 0;
            for (var j = nleft; j <= nright; j++) a += w[j - 1] * j;
            var b = xs - a;
            var c = 0.0;
            for (var j = nleft; j <= nright; j++) c += w[j - 1] * (j - a) * (j - a);
            if (Math.Sqrt(c) > 0.001 * range)
            {
                b /= c;
                for (var j = nleft; j <= nright; j++) w[j - 1] *= b * (j - a) + 1;
            }
        }
        for (var j = nleft; j <= nright; j++) ys += w[j - 1] * y[j - 1];
        return true;
    }
}
