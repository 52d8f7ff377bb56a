using Forecasting.Training.Neural.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>Dense at every step (TimeDistributed): <c>weight</c> [units, in], <c>bias</c> [units].</summary>
internal sealed class TorchDense : TorchLayer
{
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly ActivationKind _activation;

    public TorchDense(string name, int inputs, int units, ActivationKind activation, Device device) : base(name)
    {
        _weight = AddParameter("weight", device, units, inputs);
        _bias = AddParameter("bias", device, units);
        _activation = activation;
    }

    public override Tensor Forward(Tensor x, bool dropout, Generator generator) =>
        Activate(nn.functional.linear(x, _weight, _bias), _activation);
}
