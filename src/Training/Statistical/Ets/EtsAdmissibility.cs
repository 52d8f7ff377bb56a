using System.Numerics;

namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// The parameter region R's ets() searches with its default <c>bounds = "both"</c>: the usual bounds
/// (alpha in [1e-4, 0.9999], beta in [1e-4, alpha], gamma in [1e-4, 1 − alpha], phi in [0.8, 0.98]) and the
/// admissible (forecastable) region of Hyndman et al. (2008, ch. 10) for the additive state space form.
/// </summary>
public static class EtsAdmissibility
{
    public const double LowerSmoothing = 1e-4, UpperSmoothing = 0.9999, LowerPhi = 0.8, UpperPhi = 0.98;

    public static bool Accepts(EtsModel model, EtsParameters p) => WithinUsualBounds(model, p) && Admissible(model, p);

    private static bool WithinUsualBounds(EtsModel model, EtsParameters p)
    {
        if (p.Alpha < LowerSmoothing || p.Alpha > UpperSmoothing) return false;
        if (model.HasTrend && (p.Beta < LowerSmoothing || p.Beta > p.Alpha || p.Beta > UpperSmoothing)) return false;
        if (model.Damped && (p.Phi < LowerPhi || p.Phi > UpperPhi)) return false;
        if (model.HasSeason && (p.Gamma < LowerSmoothing || p.Gamma > 1 - p.Alpha || p.Gamma > UpperSmoothing)) return false;
        return true;
    }

    /// <summary>R's admissible(): stability of the characteristic equation of the linear (additive) form.</summary>
    private static bool Admissible(EtsModel model, EtsParameters p)
    {
        var phi = p.Phi;
        if (phi < 0 || phi > 1 + 1e-8) return false;
        var alpha = p.Alpha;
        if (!model.HasSeason)
        {
            if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
            if (model.HasTrend && (p.Beta < alpha * (phi - 1) || p.Beta > (1 + phi) * (2 - alpha))) return false;
            return true;
        }
        var m = model.Period;
        if (m <= 1) return true;
        var beta = model.HasTrend ? p.Beta : 0;
        var gamma = p.Gamma;
        if (gamma < Math.Max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
        if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
        if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
        // z^(m+1) + (α+β−φ) z^m + (α+β−αφ) z^(m−1) … + (α+β−αφ+γ−1) z + φ(1−α−γ), highest power first.
        var coefficients = new double[m + 2];
        coefficients[0] = 1;
        coefficients[1] = alpha + beta - phi;
        for (var i = 2; i < m; i++) coefficients[i] = alpha + beta - alpha * phi;
        coefficients[m] = alpha + beta - alpha * phi + gamma - 1;
        coefficients[m + 1] = phi * (1 - alpha - gamma);
        return LargestRootModulus(coefficients) <= 1 + 1e-10;
    }

    /// <summary>The largest modulus of the roots of a monic polynomial (highest power first), by Aberth–Ehrlich iteration.</summary>
    public static double LargestRootModulus(ReadOnlySpan<double> monic)
    {
        var degree = monic.Length - 1;
        if (degree == 0) return 0;
        // Start on a circle of Cauchy's bound's radius, at angles off the axes.
        double bound = 0;
        for (var i = 1; i <= degree; i++) bound = Math.Max(bound, Math.Abs(monic[i]));
        var radius = Math.Min(1 + bound, 2.0);
        var roots = new Complex[degree];
        for (var k = 0; k < degree; k++) roots[k] = Complex.FromPolarCoordinates(radius, 2 * Math.PI * k / degree + 0.4);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            double largestStep = 0;
            for (var k = 0; k < degree; k++)
            {
                var z = roots[k];
                Complex value = 1, derivative = 0;
                for (var i = 1; i <= degree; i++)
                {
                    derivative = derivative * z + value;
                    value = value * z + monic[i];
                }
                if (value == Complex.Zero) continue;
                var ratio = value / derivative;
                Complex repulsion = 0;
                for (var j = 0; j < degree; j++) if (j != k) repulsion += 1 / (z - roots[j]);
                var step = ratio / (1 - ratio * repulsion);
                if (!double.IsFinite(step.Real) || !double.IsFinite(step.Imaginary)) continue;
                roots[k] = z - step;
                largestStep = Math.Max(largestStep, step.Magnitude / Math.Max(1, z.Magnitude));
            }
            if (largestStep < 1e-14) break;
        }
        return roots.Max(r => r.Magnitude);
    }
}
