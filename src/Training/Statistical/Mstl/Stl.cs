namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// Seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae and Terpenning 1990), a port of the Fortran
/// behind R's <c>stats::stl</c> with its defaults: seasonal degree 0, trend and low-pass degree 1, jumps of a tenth of
/// each window (loess evaluated every jump points, linear in between), two inner passes and no robustness passes.
/// Loops index from 1 as the Fortran does, so each line can be checked against it.
/// </summary>
public static class Stl
{
    /// <summary>R's default trend window for a period and seasonal window: <c>nextodd(ceiling(1.5 period / (1 - 1.5 / s.window)))</c>.</summary>
    public static int DefaultTrendWindow(int period, int seasonalWindow) =>
        NextOdd((int)Math.Ceiling(1.5 * period / (1 - 1.5 / seasonalWindow)));

    /// <summary>R's default low-pass window: the smallest odd number at least the period.</summary>
    public static int DefaultLowPassWindow(int period) => NextOdd(period);

    private static int NextOdd(int x) => x % 2 == 0 ? x + 1 : x;

    /// <summary>
    /// The seasonal and trend components of <paramref name="y"/> (the remainder is what is left), as
    /// <c>stl(ts(y, frequency = period), s.window = seasonalWindow)</c>. The series must span more than two periods.
    /// </summary>
    public static (double[] Seasonal, double[] Trend) Decompose(ReadOnlySpan<double> y, int period, int seasonalWindow)
    {
        var n = y.Length;
        if (period < 2 || n <= 2 * period)
            throw new ArgumentException($"STL needs a period of at least 2 and more than two periods of data; period {period}, {n} observations.");
        var trendWindow = DefaultTrendWindow(period, seasonalWindow);
        var lowPassWindow = DefaultLowPassWindow(period);
        var ns = Math.Max(3, seasonalWindow);
        var nt = Math.Max(3, trendWindow);
        var nl = Math.Max(3, lowPassWindow);
        if (ns % 2 == 0) ns++;
        if (nt % 2 == 0) nt++;
        if (nl % 2 == 0) nl++;
        // R computes the jumps from the windows it was given, before they are made odd.
        var sJump = (seasonalWindow + 9) / 10;
        var tJump = (trendWindow + 9) / 10;
        var lJump = (lowPassWindow + 9) / 10;
        const int inner = 2;

        var seasonal = new double[n];
        var trend = new double[n];
        var length = n + 2 * period;
        var w1 = new double[length];
        var w2 = new double[length];
        var w3 = new double[length];
        var w4 = new double[length];
        var w5 = new double[length];
        for (var pass = 0; pass < inner; pass++)
        {
            for (var i = 1; i <= n; i++) w1[i - 1] = y[i - 1] - trend[i - 1];
            // Cycle-subseries smoothing, each subseries extended one period at both ends, into w2 (n + 2 periods).
            SmoothSubseries(w1, n, period, ns, 0, sJump, w2, w3, w4, w5);
            // Low-pass filter of the extended seasonal: moving averages of period, period, 3, then loess.
            LowPass(w2, length, period, w3, w1);
            Loess(w3, n, nl, 1, lJump, w1, w5);
            for (var i = 1; i <= n; i++) seasonal[i - 1] = w2[period + i - 1] - w1[i - 1];
            for (var i = 1; i <= n; i++) w1[i - 1] = y[i - 1] - seasonal[i - 1];
            Loess(w1, n, nt, 1, tJump, trend, w3);
        }
        return (seasonal, trend);
    }

    /// <summary>stlss: loess of each cycle-subseries, evaluated at its points and one step beyond each end.</summary>
    private static void SmoothSubseries(double[] y, int n, int np, int ns, int degree, int jump,
        double[] season, double[] work1, double[] work2, double[] weights)
    {
        for (var j = 1; j <= np; j++)
        {
            var k = (n - j) / np + 1;
            for (var i = 1; i <= k; i++) work1[i - 1] = y[(i - 1) * np + j - 1];
            // work2(2..k+1) holds the smooth at the subseries' points; work2(1) and work2(k+2) the extensions.
            Loess(work1.AsSpan(0, k), k, ns, degree, jump, work2.AsSpan(1, k), weights);
            var nright = Math.Min(ns, k);
            if (!Estimate(work1, k, ns, degree, 0, out work2[0], 1, nright, weights)) work2[0] = work2[1];
            var nleft = Math.Max(1, k - ns + 1);
            if (!Estimate(work1, k, ns, degree, k + 1, out work2[k + 1], nleft, k, weights)) work2[k + 1] = work2[k];
            for (var m = 1; m <= k + 2; m++) season[(m - 1) * np + j - 1] = work2[m - 1];
        }
    }

    /// <summary>stlfts: moving averages of length np, np and 3 (n - 2np + 2 values in, n - 2np out).</summary>
    private static void LowPass(double[] x, int n, int np, double[] trend, double[] work)
    {
        MovingAverage(x, n, np, trend);
        MovingAverage(trend, n - np + 1, np, work);
        MovingAverage(work, n - 2 * np + 2, 3, trend);
    }

    private static void MovingAverage(double[] x, int n, int len, double[] average)
    {
        var newN = n - len + 1;
        double v = 0;
        for (var i = 1; i <= len; i++) v += x[i - 1];
        average[0] = v / len;
        for (int j = 2, k = len, m = 0; j <= newN; j++)
        {
            k++;
            m++;
            v = v - x[m - 1] + x[k - 1];
            average[j - 1] = v / len;
        }
    }

    /// <summary>stless: loess of y(1..n) with window len, evaluated every jump points and interpolated linearly between.</summary>
    private static void Loess(ReadOnlySpan<double> y, int n, int len, int degree, int jump, Span<double> ys, double[] weights)
    {
        if (n < 2)
        {
            ys[0] = y[0];
            return;
        }
        var newJump = Math.Min(jump, n - 1);
        int nleft = 0, nright = 0;
        if (len >= n)
        {
            nleft = 1;
            nright = n;
            for (var i = 1; i <= n; i += newJump)
                if (!Estimate(y, n, len, degree, i, out ys[i - 1], nleft, nright, weights)) ys[i - 1] = y[i - 1];
        }
        else if (newJump == 1)
        {
            var half = (len + 1) / 2;
            nleft = 1;
            nright = len;
            for (var i = 1; i <= n; i++)
            {
                if (i > half && nright != n)
                {
                    nleft++;
                    nright++;
                }
                if (!Estimate(y, n, len, degree, i, out ys[i - 1], nleft, nright, weights)) ys[i - 1] = y[i - 1];
            }
        }
        else
        {
            var half = (len + 1) / 2;
            for (var i = 1; i <= n; i += newJump)
            {
                if (i < half)
                {
                    nleft = 1;
                    nright = len;
                }
                else if (i >= n - half + 1)
                {
                    nleft = n - len + 1;
                    nright = n;
                }
                else
                {
                    nleft = i - half + 1;
                    nright = len + i - half;
                }
                if (!Estimate(y, n, len, degree, i, out ys[i - 1], nleft, nright, weights)) ys[i - 1] = y[i - 1];
            }
        }
        if (newJump == 1) return;
        for (var i = 1; i <= n - newJump; i += newJump)
        {
            var delta = (ys[i + newJump - 1] - ys[i - 1]) / newJump;
            for (var j = i + 1; j <= i + newJump - 1; j++) ys[j - 1] = ys[i - 1] + delta * (j - i);
        }
        var last = (n - 1) / newJump * newJump + 1;
        if (last == n) return;
        // The last point is estimated with the window of the last evaluated point, as the Fortran does.
        if (!Estimate(y, n, len, degree, n, out ys[n - 1], nleft, nright, weights)) ys[n - 1] = y[n - 1];
        if (last == n - 1) return;
        var step = (ys[n - 1] - ys[last - 1]) / (n - last);
        for (var j = last + 1; j <= n - 1; j++) ys[j - 1] = ys[last - 1] + step * (j - last);
    }

    /// <summary>stlest: the local fit at xs from points nleft..nright with tricube weights; false when every weight is zero.</summary>
    private static bool Estimate(ReadOnlySpan<double> y, int n, int len, int degree, double xs, out double ys, int nleft, int nright, double[] w)
    {
        double range = n - 1;
        var h = Math.Max(xs - nleft, nright - xs);
        if (len > n) h += (len - n) / 2;
        var h9 = 0.999 * h;
        var h1 = 0.001 * h;
        double a = 0;
        for (var j = nleft; j <= nright; j++)
        {
            w[j - 1] = 0;
            var r = Math.Abs(j - xs);
            if (r > h9) continue;
            if (r <= h1) w[j - 1] = 1;
            else
            {
                var u = r / h;
                u = 1 - u * u * u;
                w[j - 1] = u * u * u;
            }
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
            double c = 0;
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
