using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>Inverted dropout per element.</summary>
internal sealed class TorchDropout(float rate) : TorchLayer("dropout")
{
    public override Tensor Forward(Tensor x, bool dropout, Generator generator) =>
        dropout && rate > 0 ? x.mul(DropoutMask(x.shape, rate, x.device, generator)) : x;
}
