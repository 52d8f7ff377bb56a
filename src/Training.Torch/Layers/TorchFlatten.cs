using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>Flatten: one step of steps × features values, index t·features + f.</summary>
internal sealed class TorchFlatten() : TorchLayer("flatten")
{
    public override Tensor Forward(Tensor x, bool dropout, Generator generator) => x.reshape(x.shape[0], 1, -1);
}
