using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>The managed engine's losses, mean over every output element: mse, mae, huber (δ = 1, Keras).</summary>
internal static class TorchLoss
{
    public static Tensor Compute(string name, Tensor prediction, Tensor target) => name.ToLowerInvariant() switch
    {
        "mse" or "mean_squared_error" => prediction.sub(target).square().mean(),
        "mae" or "mean_absolute_error" => prediction.sub(target).abs().mean(),
        "huber" => Huber(prediction.sub(target)),
        var other => throw new ArgumentException($"unknown loss '{other}' (mse|mae|huber)"),
    };

    /// <summary>½d² for |d| ≤ 1, else |d| − ½.</summary>
    private static Tensor Huber(Tensor d)
    {
        var a = d.abs();
        var quadratic = a.clamp_max(1);
        return quadratic.square().mul(0.5).add(a.sub(quadratic)).mean();
    }
}
