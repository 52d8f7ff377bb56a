using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// The chapter's LNSimpleRNNCell in a Keras RNN: h_t = tanh(LayerNorm(W·x_t + U·h_{t-1} + b)),
/// normalised after the linear step and before the activation.
/// Parameters: <c>weight_ih</c>, <c>weight_hh</c>, <c>bias</c>, <c>gamma</c>, <c>beta</c>.
/// </summary>
public sealed class LayerNormSimpleRnnLayer : RecurrentLayer
{
    private readonly Parameter _gamma;
    private readonly Parameter _beta;

    public LayerNormSimpleRnnLayer(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Random rng,
        float epsilon = 1e-3f)
        : base(name, inputs, units, 1, returnSequences, dropout, recurrentDropout, rng)
    {
        Epsilon = epsilon;
        _gamma = AddParameter("gamma", [units]);
        _beta = AddParameter("beta", [units]);
        Array.Fill(_gamma.Value, 1f);
    }

    public float Epsilon { get; }

    private sealed class LnState(LaneTensor output, int steps, int inputs, int units, int lanes, bool returnSequences)
        : RecurrentState(output, steps, inputs, units, units, lanes, returnSequences)
    {
        public float[] XHat { get; } = new float[steps * units * lanes];
        public float[] InvStd { get; } = new float[steps * lanes];
        public float[] Da { get; } = new float[units * lanes];
    }

    protected override RecurrentState CreateRecurrentState(LaneTensor output, int steps, int lanes) =>
        new LnState(output, steps, Inputs, Units, lanes, ReturnSequences);

    protected override void StepForward(RecurrentState state, int t)
    {
        var s = (LnState)state;
        var n = Units * s.Lanes;
        RecurrentProduct(s, t, s.Gates, t * n);
        LayerNormKernel.Forward(s.Gates, t * n, Units, s.Lanes, _gamma.Value, _beta.Value, Epsilon, s.XHat, t * n, s.InvStd, t * s.Lanes, s.Hs, t * n);
        FastMath.Tanh(s.Hs.AsSpan(t * n, n), s.Hs.AsSpan(t * n, n));
    }

    protected override void StepForward(SeriesRecurrentState s, int t)
    {
        var off = t * s.GateWidth;
        RecurrentProduct(s, t, s.Gates, off);
        var h = s.Hs.AsSpan(t * s.Width, Units);
        LayerNormKernel.Forward(s.Gates.AsSpan(off, Units), _gamma.Value, _beta.Value, Epsilon, h);
        FastMath.Tanh(h, h);
    }

    protected override void StepBackward(RecurrentState state, int t)
    {
        var s = (LnState)state;
        var n = Units * s.Lanes;
        var hs = MemoryMarshal.Cast<float, Vector<float>>(s.Hs.AsSpan(t * n, n));
        var dh = MemoryMarshal.Cast<float, Vector<float>>(s.Dh.AsSpan());
        var da = MemoryMarshal.Cast<float, Vector<float>>(s.Da.AsSpan());
        for (var k = 0; k < hs.Length; k++) da[k] = dh[k] * (Vector<float>.One - hs[k] * hs[k]);
        LayerNormKernel.Backward(s.Da, 0, s.XHat, t * n, s.InvStd, t * s.Lanes, _gamma.Value, Units, s.Lanes, s.Dzx, t * n, _gamma.Grad, _beta.Grad);
    }
}
