namespace Forecasting.Training.Statistical.Theta;

/// <summary>
/// Simple exponential smoothing, ETS(A,N,N), fitted as R's <c>ses()</c> does (<c>ets(model = "ANN", opt.crit =
/// "mse")</c>): the smoothing weight α in R's bounds [0.0001, 0.9999] and the initial level ℓ₀ minimise the mean
/// squared one-step error. The errors are linear in ℓ₀ (eₜ = uₜ − (1 − α)ᵗ·ℓ₀, uₜ the errors from ℓ₀ = 0), so ℓ₀ is
/// exact least squares for each α, and α is searched on a grid and refined by golden section: the global minimum
/// of the profile, which R's Nelder–Mead approaches to its tolerance.
/// </summary>
public readonly record struct SimpleExponentialSmoothing(double Alpha, double InitialLevel, double SumOfSquares)
{
    public const double LowerAlpha = 1e-4, UpperAlpha = 0.9999;

    private const int GridPoints = 100;

    public static SimpleExponentialSmoothing Fit(ReadOnlySpan<double> x)
    {
        if (x.Length < 2) throw new ArgumentException($"Simple exponential smoothing needs at least 2 observations, got {x.Length}.");
        var step = (UpperAlpha - LowerAlpha) / GridPoints;
        var best = Profile(x, LowerAlpha);
        var bestPoint = 0;
        for (var i = 1; i <= GridPoints; i++)
        {
            var candidate = Profile(x, LowerAlpha + i * step);
            if (candidate.SumOfSquares < best.SumOfSquares) (best, bestPoint) = (candidate, i);
        }
        // Golden section over the grid cells either side of the best grid point.
        var a = LowerAlpha + Math.Max(0, bestPoint - 1) * step;
        var b = Math.Min(UpperAlpha, LowerAlpha + (bestPoint + 1) * step);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var c = Profile(x, b - ratio * (b - a));
        var d = Profile(x, a + ratio * (b - a));
        while (b - a > 1e-11)
        {
            if (c.SumOfSquares <= d.SumOfSquares)
            {
                b = d.Alpha;
                d = c;
                c = Profile(x, b - ratio * (b - a));
            }
            else
            {
                a = c.Alpha;
                c = d;
                d = Profile(x, a + ratio * (b - a));
            }
        }
        foreach (var candidate in (ReadOnlySpan<SimpleExponentialSmoothing>)[c, d, Profile(x, a), Profile(x, b)])
            if (candidate.SumOfSquares < best.SumOfSquares) best = candidate;
        return best;
    }

    /// <summary>The best ℓ₀ for <paramref name="alpha"/>, with its sum of squared one-step errors.</summary>
    private static SimpleExponentialSmoothing Profile(ReadOnlySpan<double> x, double alpha)
    {
        // u: the errors from ℓ₀ = 0; weight = (1 − α)ᵗ, the share of ℓ₀ in the forecast of x[t].
        double level = 0, weight = 1, uc = 0, cc = 0;
        foreach (var v in x)
        {
            var u = v - level;
            uc += u * weight;
            cc += weight * weight;
            level += alpha * u;
            weight *= 1 - alpha;
        }
        var initial = uc / cc;
        return new SimpleExponentialSmoothing(alpha, initial, SumOfSquaresOf(x, alpha, initial));
    }

    /// <summary>The sum of squared one-step errors of smoothing <paramref name="x"/> with α from ℓ₀.</summary>
    public static double SumOfSquaresOf(ReadOnlySpan<double> x, double alpha, double initialLevel)
    {
        double level = initialLevel, sum = 0;
        foreach (var v in x)
        {
            var error = v - level;
            sum += error * error;
            level += alpha * error;
        }
        return sum;
    }
}
