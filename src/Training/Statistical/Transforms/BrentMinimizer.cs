namespace Forecasting.Training.Statistical.Transforms;

/// <summary>
/// Brent's one-dimensional minimisation (golden section with parabolic steps), a line-by-line port of R's
/// <c>Brent_fmin</c> behind <c>optimize()</c>, so a λ chosen here is the one R chooses.
/// </summary>
public static class BrentMinimizer
{
    /// <summary>R's default tolerance of <c>optimize()</c>: .Machine$double.eps^0.25.</summary>
    public static readonly double DefaultTolerance = Math.Pow(MachineEpsilon, 0.25);

    /// <summary>R's .Machine$double.eps (2^−52).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static double Minimize(Func<double, double> f, double lower, double upper, double tolerance)
    {
        var c = (3 - Math.Sqrt(5)) * .5; // the squared inverse of the golden ratio
        var eps = Math.Sqrt(MachineEpsilon);
        double a = lower, b = upper;
        var v = a + c * (b - a);
        var w = v;
        var x = v;
        double d = 0, e = 0;
        var fx = f(x);
        var fv = fx;
        var fw = fx;
        var tol3 = tolerance / 3;
        for (; ; )
        {
            var xm = (a + b) * .5;
            var tol1 = eps * Math.Abs(x) + tol3;
            var t2 = tol1 * 2;
            if (Math.Abs(x - xm) <= t2 - (b - a) * .5) break;
            double p = 0, q = 0, r = 0;
            if (Math.Abs(e) > tol1)
            {
                // Fit a parabola.
                r = (x - w) * (fx - fv);
                q = (x - v) * (fx - fw);
                p = (x - v) * q - (x - w) * r;
                q = (q - r) * 2;
                if (q > 0) p = -p;
                else q = -q;
                r = e;
                e = d;
            }
            double u;
            if (Math.Abs(p) >= Math.Abs(q * .5 * r) || p <= q * (a - x) || p >= q * (b - x))
            {
                // A golden-section step.
                e = x < xm ? b - x : a - x;
                d = c * e;
            }
            else
            {
                // A parabolic-interpolation step, not too close to the ends.
                d = p / q;
                u = x + d;
                if (u - a < t2 || b - u < t2)
                {
                    d = tol1;
                    if (x >= xm) d = -d;
                }
            }
            // Not too close to x.
            u = Math.Abs(d) >= tol1 ? x + d : d > 0 ? x + tol1 : x - tol1;
            var fu = f(u);
            if (fu <= fx)
            {
                if (u < x) b = x;
                else a = x;
                v = w; w = x; x = u;
                fv = fw; fw = fx; fx = fu;
            }
            else
            {
                if (u < x) a = u;
                else b = u;
                if (fu <= fw || w == x)
                {
                    v = w; fv = fw;
                    w = u; fw = fu;
                }
                else if (fu <= fv || v == x || v == w)
                {
                    v = u; fv = fu;
                }
            }
        }
        return x;
    }
}
