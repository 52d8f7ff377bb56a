using System.Numerics;

namespace Forecasting.Training.Neural.Core;

/// <summary>
/// Layer normalisation over the features of one time step, every lane at once (the features
/// are rows, so the statistics are plain vector sums). Shared by LayerNorm and the
/// layer-normalised SimpleRNN cell.
/// </summary>
public static class LayerNormKernel
{
    public static void Forward(float[] x, int xOff, int features, int lanes, float[] gamma, float[] beta, float epsilon,
        float[] xhat, int xhatOff, float[] invStd, int invOff, float[] y, int yOff)
    {
        var vw = Vector<float>.Count;
        var n = new Vector<float>(features);
        var eps = new Vector<float>(epsilon);
        for (var l = 0; l < lanes; l += vw)
        {
            var sum = Vector<float>.Zero;
            for (var f = 0; f < features; f++) sum += new Vector<float>(x, xOff + f * lanes + l);
            var mean = sum / n;
            var sq = Vector<float>.Zero;
            for (var f = 0; f < features; f++)
            {
                var d = new Vector<float>(x, xOff + f * lanes + l) - mean;
                sq += d * d;
            }
            var inv = Vector<float>.One / Vector.SquareRoot(sq / n + eps);
            inv.CopyTo(invStd, invOff + l);
            for (var f = 0; f < features; f++)
            {
                var h = (new Vector<float>(x, xOff + f * lanes + l) - mean) * inv;
                h.CopyTo(xhat, xhatOff + f * lanes + l);
                (h * gamma[f] + new Vector<float>(beta[f])).CopyTo(y, yOff + f * lanes + l);
            }
        }
    }

    /// <summary>
    /// The single-series form: one vector of features. Sums run in feature order like the lane
    /// form's, so both paths give the same result.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y)
    {
        var n = (float)x.Length;
        var sum = 0f;
        foreach (var v in x) sum += v;
        var mean = sum / n;
        var sq = 0f;
        foreach (var v in x)
        {
            var d = v - mean;
            sq += d * d;
        }
        var inv = 1f / MathF.Sqrt(sq / n + epsilon);
        for (var f = 0; f < x.Length; f++) y[f] = (x[f] - mean) * inv * gamma[f] + beta[f];
    }

    /// <summary>dx = inv/F · (F·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)) with dx̂ = dy·γ; accumulates dγ, dβ.</summary>
    public static void Backward(float[] dy, int dyOff, float[] xhat, int xhatOff, float[] invStd, int invOff, float[] gamma,
        int features, int lanes, float[] dx, int dxOff, float[] dGamma, float[] dBeta)
    {
        var vw = Vector<float>.Count;
        var n = new Vector<float>(features);
        for (var f = 0; f < features; f++)
        {
            var gsum = Vector<float>.Zero;
            var bsum = Vector<float>.Zero;
            for (var l = 0; l < lanes; l += vw)
            {
                var g = new Vector<float>(dy, dyOff + f * lanes + l);
                gsum += g * new Vector<float>(xhat, xhatOff + f * lanes + l);
                bsum += g;
            }
            dGamma[f] += Vector.Sum(gsum);
            dBeta[f] += Vector.Sum(bsum);
        }
        for (var l = 0; l < lanes; l += vw)
        {
            var s1 = Vector<float>.Zero;
            var s2 = Vector<float>.Zero;
            for (var f = 0; f < features; f++)
            {
                var g = new Vector<float>(dy, dyOff + f * lanes + l) * gamma[f];
                s1 += g;
                s2 += g * new Vector<float>(xhat, xhatOff + f * lanes + l);
            }
            var scale = new Vector<float>(invStd, invOff + l) / n;
            for (var f = 0; f < features; f++)
            {
                var g = new Vector<float>(dy, dyOff + f * lanes + l) * gamma[f];
                var h = new Vector<float>(xhat, xhatOff + f * lanes + l);
                (scale * (g * n - s1 - h * s2)).CopyTo(dx, dxOff + f * lanes + l);
            }
        }
    }
}
