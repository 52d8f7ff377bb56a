using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Optimizers;

/// <summary>
/// Keras (TF2 optimizer_v2) Nadam with the momentum schedule μ_t = β1(1 − ½·0.96^(0.004·t)):
/// ĝ = g/(1 − Πμ_{1..t}), m̂ = m/(1 − Πμ_{1..t+1}), v̂ = v/(1 − β2ᵗ),
/// w ← w − lr·((1 − μ_t)·ĝ + μ_{t+1}·m̂)/(√v̂ + ε).
/// </summary>
public sealed class NadamOptimizer(float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f) : Optimizer(learningRate)
{
    private double _muProduct = 1.0;
    private double _mu, _muNext, _productNew, _productNext;

    public float Beta1 { get; } = beta1;
    public float Beta2 { get; } = beta2;
    public float Epsilon { get; } = epsilon;

    protected override void BeginStep(long t)
    {
        _mu = Beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * t));
        _muNext = Beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * (t + 1)));
        _productNew = _muProduct * _mu;
        _productNext = _productNew * _muNext;
        _muProduct = _productNew;
    }

    protected override double[] SaveScheduleState() => [_muProduct];

    protected override void RestoreScheduleState(double[] values) =>
        _muProduct = values is [var product] ? product : throw new InvalidDataException("a Nadam state holds one schedule value");

    protected override void Update(int index, Parameter p, long t)
    {
        var w = p.Value;
        var g = p.Grad;
        var m = SlotA(index);
        var v = SlotB(index);
        var gScale = (float)(1 / (1 - _productNew));
        var mScale = (float)(1 / (1 - _productNext));
        var vScale = (float)(1 / (1 - Math.Pow(Beta2, t)));
        var mu = (float)_mu;
        var muNext = (float)_muNext;
        for (var i = 0; i < w.Length; i++)
        {
            m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
            v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
            var mBar = (1 - mu) * g[i] * gScale + muNext * m[i] * mScale;
            w[i] -= LearningRate * mBar / (MathF.Sqrt(v[i] * vScale) + Epsilon);
        }
    }
}
