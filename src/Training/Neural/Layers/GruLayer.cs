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

    private sealed class SeriesGruState(int steps, int inputs, int units, bool returnSequences)
        : SeriesRecurrentState(steps, inputs, units, 3, returnSequences)
    {
        /// <summary>bias_hh (c) padded like the gates, and U·h_{t-1} + c of the current step.</summary>
        public float[] BiasHh { get; } = new float[3 * LaneMath.LanesFor(units)];
        public float[] Zh { get; } = new float[3 * LaneMath.LanesFor(units)];
    }

    protected override SeriesRecurrentState CreateSeriesRecurrentState(int steps) => new SeriesGruState(steps, Inputs, Units, ReturnSequences);

    protected override void StepForward(RecurrentState state, int t)
    {
        var s = (GruState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        LaneKernels.FillRows(_biasHh.Value, 0, GateRows, s.Zh, g0, s.Lanes);
        RecurrentProduct(s, t, s.Zh, g0);
        CellStep(s.Gates.AsSpan(g0, 3 * n), s.Zh.AsSpan(g0, 3 * n), t > 0 ? s.Hs.AsSpan((t - 1) * n, n) : default, s.Hs.AsSpan(t * n, n));
    }

    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var s = (SeriesGruState)state;
        LaneKernels.TransposeIntoLanes(_biasHh.Value, 0, 1, 1, GateRows, 1, Units, s.BiasHh, 0, s.Width);
        base.ForwardSeries(state, input);
    }

    protected override void StepForward(SeriesRecurrentState state, int t)
    {
        var s = (SeriesGruState)state;
        s.BiasHh.CopyTo(s.Zh, 0);
        RecurrentProduct(s, t, s.Zh, 0);
        var w = s.Width;
        CellStep(s.Gates.AsSpan(t * s.GateWidth, s.GateWidth), s.Zh, t > 0 ? s.Hs.AsSpan((t - 1) * w, w) : default, s.Hs.AsSpan(t * w, w));
    }

    /// <summary>
    /// One fused pass over the gate pre-activations W·x + b (three blocks of h.Length floats: z, r, h)
    /// and zh = U·h_{t-1} + c: replaces the gates with z, r and the candidate (kept for backward)
    /// and writes h. hPrev is empty at t = 0.
    /// </summary>
    private static void CellStep(Span<float> gateValues, ReadOnlySpan<float> zhValues, ReadOnlySpan<float> hPrevValues, Span<float> hValues)
    {
        var gates = MemoryMarshal.Cast<float, Vector<float>>(gateValues);
        var zh = MemoryMarshal.Cast<float, Vector<float>>(zhValues);
        var hp = MemoryMarshal.Cast<float, Vector<float>>(hPrevValues);
        var h = MemoryMarshal.Cast<float, Vector<float>>(hValues);
        var first = hp.IsEmpty;
        var m = h.Length;
        for (var k = 0; k < m; k++)
        {
            var z = FastMath.Sigmoid(gates[k] + zh[k]);
            var r = FastMath.Sigmoid(gates[m + k] + zh[m + k]);
            var c = FastMath.Tanh(Vector.FusedMultiplyAdd(r, zh[2 * m + k], gates[2 * m + k]));
            gates[k] = z;
            gates[m + k] = r;
            gates[2 * m + k] = c;
            h[k] = first ? (Vector<float>.One - z) * c : Vector.FusedMultiplyAdd(z, hp[k] - c, c);
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
