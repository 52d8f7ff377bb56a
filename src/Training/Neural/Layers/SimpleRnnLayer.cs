using Forecasting.Training.Neural.Core;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecasting.Training.Neural.Layers;

/// <summary>Keras SimpleRNN: h_t = tanh(W·x_t + U·h_{t-1} + b).</summary>
public sealed class SimpleRnnLayer(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Random rng)
    : RecurrentLayer(name, inputs, units, 1, returnSequences, dropout, recurrentDropout, rng)
{
    protected override void StepForward(RecurrentState s, int t)
    {
        var off = t * GateRows * s.Lanes;
        RecurrentProduct(s, t, s.Gates, off);
        FastMath.Tanh(s.Gates.AsSpan(off, GateRows * s.Lanes), s.Hs.AsSpan(off, Units * s.Lanes));
    }

    protected override void StepForward(SeriesRecurrentState s, int t)
    {
        var off = t * s.GateWidth;
        RecurrentProduct(s, t, s.Gates, off);
        FastMath.Tanh(s.Gates.AsSpan(off, s.GateWidth), s.Hs.AsSpan(t * s.Width, s.Width));
    }

    protected override void StepBackward(RecurrentState s, int t)
    {
        var n = Units * s.Lanes;
        if (GateMath.Wide(n)) StepBackward<Vector512Ops, Vector512<float>>(s.Hs.AsSpan(t * n, n), s.Dh, s.Dzx.AsSpan(t * n, n));
        else StepBackward<VectorOps, Vector<float>>(s.Hs.AsSpan(t * n, n), s.Dh, s.Dzx.AsSpan(t * n, n));
    }

    /// <summary>dz = dh ⊙ (1 − h²).</summary>
    private static void StepBackward<TOps, TVec>(ReadOnlySpan<float> hValues, ReadOnlySpan<float> dhValues, Span<float> dzValues)
        where TOps : IGateMath<TVec> where TVec : struct
    {
        var hs = MemoryMarshal.Cast<float, TVec>(hValues);
        var dh = MemoryMarshal.Cast<float, TVec>(dhValues);
        var dz = MemoryMarshal.Cast<float, TVec>(dzValues);
        for (var k = 0; k < hs.Length; k++) dz[k] = TOps.Multiply(dh[k], TOps.Subtract(TOps.One, TOps.Multiply(hs[k], hs[k])));
    }
}
