using System.Runtime.Intrinsics;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Optimizers;

/// <summary>
/// Keras Adam (β1 0.9, β2 0.999, ε 1e-7): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// w ← w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε).
/// </summary>
public sealed class AdamOptimizer(float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f) : Optimizer(learningRate)
{
    public float Beta1 { get; } = beta1;
    public float Beta2 { get; } = beta2;
    public float Epsilon { get; } = epsilon;

    protected override void Update(int index, Parameter p, long t)
    {
        var lrT = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)));
        var w = p.Value;
        var g = p.Grad;
        var m = SlotA(index);
        var v = SlotB(index);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same operations per element (no fused multiply-add), so bitwise equal to the loop below.
            var (b1, c1, b2, c2) = (Vector512.Create(Beta1), Vector512.Create(1 - Beta1), Vector512.Create(Beta2), Vector512.Create(1 - Beta2));
            var (lr, eps) = (Vector512.Create(lrT), Vector512.Create(Epsilon));
            for (; i + 16 <= w.Length; i += 16)
            {
                var gi = Vector512.Create(g.AsSpan(i, 16));
                var mi = b1 * Vector512.Create(m.AsSpan(i, 16)) + c1 * gi;
                var vi = b2 * Vector512.Create(v.AsSpan(i, 16)) + c2 * gi * gi;
                mi.CopyTo(m.AsSpan(i, 16));
                vi.CopyTo(v.AsSpan(i, 16));
                (Vector512.Create(w.AsSpan(i, 16)) - lr * mi / (Vector512.Sqrt(vi) + eps)).CopyTo(w.AsSpan(i, 16));
            }
        }
        for (; i < w.Length; i++)
        {
            m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
            v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
            w[i] -= lrT * m[i] / (MathF.Sqrt(v[i]) + Epsilon);
        }
    }
}
