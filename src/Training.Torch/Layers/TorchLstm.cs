using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>Keras LSTM: gates i, f, c, o (sigmoid, tanh cell), one bias; c_t = f ⊙ c_{t-1} + i ⊙ tanh(g), h_t = o ⊙ tanh(c_t).</summary>
internal sealed class TorchLstm(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Device device)
    : TorchRecurrent(name, inputs, units, 4, returnSequences, dropout, recurrentDropout, device)
{
    private Tensor? _c;

    protected override void BeginSequence() => _c = null;

    protected override Tensor Step(Tensor zx, Tensor? fed, Tensor? previous)
    {
        var gates = WithRecurrent(zx, fed).chunk(4, -1);
        var input = gates[0].sigmoid().mul(gates[2].tanh());
        _c = _c is null ? input : gates[1].sigmoid().mul(_c).add(input);
        return gates[3].sigmoid().mul(_c.tanh());
    }
}
