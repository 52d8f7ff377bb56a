using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>
/// What the Keras-style recurrent layers share, as in the managed <c>RecurrentLayer</c>: the input projection of
/// all steps at once (x·W_ihᵀ + b), one product with h_{t-1} per step, a zero initial state, input dropout with
/// one mask per sequence and feature (fixed over time) and recurrent dropout on the h_{t-1} fed to the product
/// (not on the carried state). Written out step by step, because torch's fused RNN modules have neither Keras'
/// recurrent dropout nor its single LSTM bias. Parameters: <c>weight_ih</c> [gates·units, in],
/// <c>weight_hh</c> [gates·units, units] and the bias.
/// </summary>
internal abstract class TorchRecurrent : TorchLayer
{
    protected TorchRecurrent(string name, int inputs, int units, int gates, bool returnSequences, float dropout, float recurrentDropout,
        Device device, string biasName = "bias") : base(name)
    {
        Units = units;
        ReturnSequences = returnSequences;
        Dropout = dropout;
        RecurrentDropout = recurrentDropout;
        WeightIh = AddParameter("weight_ih", device, gates * units, inputs);
        WeightHh = AddParameter("weight_hh", device, gates * units, units);
        Bias = AddParameter(biasName, device, gates * units);
    }

    public int Units { get; }
    public bool ReturnSequences { get; }
    public float Dropout { get; }
    public float RecurrentDropout { get; }
    protected Tensor WeightIh { get; }
    protected Tensor WeightHh { get; }
    protected Tensor Bias { get; }

    public override Tensor Forward(Tensor x, bool dropout, Generator generator)
    {
        var (batch, steps) = (x.shape[0], x.shape[1]);
        if (dropout && Dropout > 0) x = x.mul(DropoutMask([batch, 1, x.shape[2]], Dropout, x.device, generator));
        var recurrentMask = dropout && RecurrentDropout > 0 ? DropoutMask([batch, Units], RecurrentDropout, x.device, generator) : null;
        var projected = nn.functional.linear(x, WeightIh, Bias);
        Tensor? h = null;
        var outputs = new List<Tensor>();
        BeginSequence();
        for (var t = 0; t < steps; t++)
        {
            var fed = h is null || recurrentMask is null ? h : h.mul(recurrentMask);
            h = Step(projected.select(1, t), fed, h);
            if (ReturnSequences) outputs.Add(h);
        }
        return ReturnSequences ? stack(outputs, 1) : h!.unsqueeze(1);
    }

    /// <summary>Resets per-sequence cell state (the LSTM's c).</summary>
    protected virtual void BeginSequence() { }

    /// <summary>One step: <paramref name="zx"/> = x_t·W_ihᵀ + b; <paramref name="fed"/> the (masked) h_{t-1} for the product, null at t = 0.</summary>
    protected abstract Tensor Step(Tensor zx, Tensor? fed, Tensor? previous);

    /// <summary>h_{t-1}·W_hhᵀ added to z (nothing at t = 0).</summary>
    protected Tensor WithRecurrent(Tensor zx, Tensor? fed) => fed is null ? zx : zx.add(fed.matmul(WeightHh.t()));
}
