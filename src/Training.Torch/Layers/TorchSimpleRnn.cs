using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>
/// SimpleRNN, h_t = tanh(x·W_ihᵀ + h_{t-1}·W_hhᵀ + b); with <c>layerNorm</c> the chapter's LNSimpleRNNCell,
/// h_t = tanh(LayerNorm(…)) with <c>gamma</c>, <c>beta</c> and ε = 1e-3.
/// </summary>
internal sealed class TorchSimpleRnn : TorchRecurrent
{
    private const double Epsilon = 1e-3;
    private readonly Tensor? _gamma;
    private readonly Tensor? _beta;

    public TorchSimpleRnn(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Device device, bool layerNorm)
        : base(name, inputs, units, 1, returnSequences, dropout, recurrentDropout, device)
    {
        if (!layerNorm) return;
        _gamma = AddParameter("gamma", device, units);
        _beta = AddParameter("beta", device, units);
    }

    protected override Tensor Step(Tensor zx, Tensor? fed, Tensor? previous)
    {
        var z = WithRecurrent(zx, fed);
        if (_gamma is not null) z = nn.functional.layer_norm(z, [Units], _gamma, _beta, Epsilon);
        return z.tanh();
    }
}
