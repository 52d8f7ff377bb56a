using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Optimizers;

/// <summary>
/// Keras SGD: v ← m·v − lr·g; w ← w + v, or with Nesterov w ← w + m·v − lr·g.
/// Without momentum: w ← w − lr·g.
/// </summary>
public sealed class SgdOptimizer(float learningRate, float momentum = 0f, bool nesterov = false) : Optimizer(learningRate)
{
    public float Momentum { get; } = momentum;
    public bool Nesterov { get; } = nesterov;

    protected override void Update(int index, Parameter p, long t)
    {
        var w = p.Value;
        var g = p.Grad;
        var lr = LearningRate;
        if (Momentum == 0f)
        {
            for (var i = 0; i < w.Length; i++) w[i] -= lr * g[i];
            return;
        }
        var v = SlotA(index);
        for (var i = 0; i < w.Length; i++)
        {
            v[i] = Momentum * v[i] - lr * g[i];
            w[i] += Nesterov ? Momentum * v[i] - lr * g[i] : v[i];
        }
    }
}
