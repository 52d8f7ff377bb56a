using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Forecasting.Training.Neural.Core;

/// <summary>The activations' forward and backward passes.</summary>
public static class Activations
{
    /// <summary>Applies the activation in place.</summary>
    public static void Apply(ActivationKind kind, Span<float> values)
    {
        switch (kind)
        {
            case ActivationKind.Relu: TensorPrimitives.Max(values, 0f, values); break;
            case ActivationKind.Tanh: FastMath.Tanh(values, values); break;
            case ActivationKind.Sigmoid: FastMath.Sigmoid(values, values); break;
        }
    }

    /// <summary>grad ⊙ f'(z) written to <paramref name="result"/>, expressed through the output y = f(z).</summary>
    public static void BackwardFromOutput(ActivationKind kind, ReadOnlySpan<float> output, ReadOnlySpan<float> grad, Span<float> result)
    {
        switch (kind)
        {
            case ActivationKind.Linear:
                grad.CopyTo(result);
                break;
            case ActivationKind.Relu:
                {
                    var vo = MemoryMarshal.Cast<float, Vector<float>>(output);
                    var vg = MemoryMarshal.Cast<float, Vector<float>>(grad);
                    var vr = MemoryMarshal.Cast<float, Vector<float>>(result);
                    for (var k = 0; k < vr.Length; k++) vr[k] = Vector.ConditionalSelect(Vector.GreaterThan(vo[k], Vector<float>.Zero), vg[k], Vector<float>.Zero);
                    for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++) result[i] = output[i] > 0f ? grad[i] : 0f;
                    break;
                }
            case ActivationKind.Tanh:
                for (var i = 0; i < result.Length; i++) result[i] = grad[i] * (1f - output[i] * output[i]);
                break;
            case ActivationKind.Sigmoid:
                for (var i = 0; i < result.Length; i++) result[i] = grad[i] * output[i] * (1f - output[i]);
                break;
        }
    }
}
