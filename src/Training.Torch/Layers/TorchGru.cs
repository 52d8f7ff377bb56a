using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>
/// Keras GRU with reset_after (gate order z, r, h; <c>bias_ih</c> b and <c>bias_hh</c> c):
/// z = σ(W_z x + b_z + U_z h + c_z), r = σ(W_r x + b_r + U_r h + c_r), n = tanh(W_h x + b_h + r ⊙ (U_h h + c_h)),
/// h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n, the carried h_{t-1} unmasked by recurrent dropout.
/// </summary>
internal sealed class TorchGru : TorchRecurrent
{
    private readonly Tensor _biasHh;

    public TorchGru(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Device device)
        : base(name, inputs, units, 3, returnSequences, dropout, recurrentDropout, device, "bias_ih")
    {
        _biasHh = AddParameter("bias_hh", device, 3 * units);
    }

    protected override Tensor Step(Tensor zx, Tensor? fed, Tensor? previous)
    {
        var zh = fed is null ? _biasHh.expand(zx.shape) : nn.functional.linear(fed, WeightHh, _biasHh);
        var x = zx.chunk(3, -1);
        var hh = zh.chunk(3, -1);
        var z = x[0].add(hh[0]).sigmoid();
        var r = x[1].add(hh[1]).sigmoid();
        var n = x[2].add(r.mul(hh[2])).tanh();
        return previous is null ? z.neg().add(1).mul(n) : z.mul(previous).add(z.neg().add(1).mul(n));
    }
}
