using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras GRU with reset_after=True (the TF2 default, cuDNN-compatible): gate order z, r, h;
/// z = σ(W_z x + b_z + U_z h + c_z), r = σ(W_r x + b_r + U_r h + c_r),
/// n = tanh(W_h x + b_h + r ⊙ (U_h h + c_h)), h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n.
/// Parameters: <c>weight_ih</c>, <c>weight_hh</c>, <c>bias_ih</c> (b), <c>bias_hh</c> (c).
/// </summary>
public sealed class GruLayer : RecurrentLayer
{
    private readonly Parameter _biasHh;

    public GruLayer(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Random rng)
        : base(name, inputs, units, 3, returnSequences, dropout, recurrentDropout, rng, "bias_ih")
    {
        _biasHh = AddParameter("bias_hh", [GateRows]);
    }

    private sealed class GruState(LaneTensor output, int steps, int inputs, int units, int gateRows, int lanes, bool returnSequences)
        : RecurrentState(output, steps, inputs, units, gateRows, lanes, true, returnSequences)
    {
        /// <summary>U·h̃_{t-1} + c per step [T][3H][P]; its h rows are needed for dr.</summary>
        public float[] Zh { get; } = new float[steps * gateRows * lanes];
    }

    protected override RecurrentState CreateRecurrentState(LaneTensor output, int steps, int lanes) =>
        new GruState(output, steps, Inputs, Units, GateRows, lanes, ReturnSequences);

    protected override void StepForward(RecurrentState state, int t)
    {
        var s = (GruState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        LaneKernels.FillRows(_biasHh.Value, 0, GateRows, s.Zh, g0, s.Lanes);
        RecurrentProduct(s, t, s.Zh, g0);
        // One fused pass: gates (kept for backward) and the new state.
        var gates = MemoryMarshal.Cast<float, Vector<float>>(s.Gates.AsSpan(g0, 3 * n));
        var zh = MemoryMarshal.Cast<float, Vector<float>>(s.Zh.AsSpan(g0, 3 * n));
        var h = MemoryMarshal.Cast<float, Vector<float>>(s.Hs.AsSpan(t * n, n));
        var hp = t > 0 ? MemoryMarshal.Cast<float, Vector<float>>(s.Hs.AsSpan((t - 1) * n, n)) : default;
        var m = h.Length;
        for (var k = 0; k < m; k++)
        {
            var z = FastMath.Sigmoid(gates[k] + zh[k]);
            var r = FastMath.Sigmoid(gates[m + k] + zh[m + k]);
            var c = FastMath.Tanh(Vector.FusedMultiplyAdd(r, zh[2 * m + k], gates[2 * m + k]));
            gates[k] = z;
            gates[m + k] = r;
            gates[2 * m + k] = c;
            h[k] = t > 0 ? Vector.FusedMultiplyAdd(z, hp[k] - c, c) : (Vector<float>.One - z) * c;
        }
    }

    protected override void StepBackward(RecurrentState state, int t)
    {
        var s = (GruState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        var gates = MemoryMarshal.Cast<float, Vector<float>>(s.Gates.AsSpan(g0, 3 * n));
        var zh = MemoryMarshal.Cast<float, Vector<float>>(s.Zh.AsSpan(g0, 3 * n));
        var dzx = MemoryMarshal.Cast<float, Vector<float>>(s.Dzx.AsSpan(g0, 3 * n));
        var dzh = MemoryMarshal.Cast<float, Vector<float>>(s.Dzh.AsSpan(g0, 3 * n));
        var dh = MemoryMarshal.Cast<float, Vector<float>>(s.Dh.AsSpan());
        var carry = MemoryMarshal.Cast<float, Vector<float>>(s.Carry.AsSpan());
        var hp = t > 0 ? MemoryMarshal.Cast<float, Vector<float>>(s.Hs.AsSpan((t - 1) * n, n)) : default;
        var m = n / Vector<float>.Count;
        var one = Vector<float>.One;
        for (var k = 0; k < m; k++)
        {
            Vector<float> z = gates[k], r = gates[m + k], c = gates[2 * m + k], d = dh[k];
            var prev = t > 0 ? hp[k] : Vector<float>.Zero;
            var dn = d * (one - z) * (one - c * c);
            var dzz = d * (prev - c) * z * (one - z);
            var dzr = dn * zh[2 * m + k] * r * (one - r);
            dzx[k] = dzz; dzh[k] = dzz;
            dzx[m + k] = dzr; dzh[m + k] = dzr;
            dzx[2 * m + k] = dn; dzh[2 * m + k] = dn * r;
            carry[k] = d * z;
        }
    }

    protected override void EndBackward(RecurrentState s) =>
        LaneKernels.AccumulateRowSums(s.Dzh, 0, GateRows * s.Lanes, GateRows, s.Steps, s.Lanes, _biasHh.Grad);
}
