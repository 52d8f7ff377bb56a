using Forecasting.Domain;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>The managed engine's losses, mean over every output element: mse, mae, huber (δ = 1, Keras).</summary>
internal static class TorchLoss
{
    public static Tensor Compute(LossKind kind, Tensor prediction, Tensor target) => kind switch
    {
        LossKind.Mse => prediction.sub(target).square().mean(),
        LossKind.Mae => prediction.sub(target).abs().mean(),
        LossKind.Huber => Huber(prediction.sub(target)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>½d² for |d| ≤ 1, else |d| − ½.</summary>
    private static Tensor Huber(Tensor d)
    {
        var a = d.abs();
        var quadratic = a.clamp_max(1);
        return quadratic.square().mul(0.5).add(a.sub(quadratic)).mean();
    }
}
