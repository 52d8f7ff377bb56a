using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        : RecurrentState(output, steps, inputs, units, gateRows, lanes, returnSequences, new float[steps * gateRows * lanes])
    {
        /// <summary>
        /// U·h̃_{t-1} + c per step [T][3H][P] (its h rows are needed for dr). Dzh's storage, as Dzx
        /// is Gates': step t's backward reads Zh[t] before it writes Dzh[t].
        /// </summary>
        public float[] Zh => Dzh;
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
        if (t == 0) LaneKernels.FillRows(_biasHh.Value, 0, GateRows, s.Zh, g0, s.Lanes);
        else
        {
            // c + U·h̃_{t-1} with the bias as the product's starting value (no fill pass).
            var (buf, off) = PreviousHidden(s, t);
            LaneKernels.GemmBias(_biasHh.Value, 0, WeightHh.Value, 0, Units, 1, GateRows, Units, buf, off, s.Zh, g0, s.Lanes);
        }
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
        if (GateMath.Wide(hValues.Length)) CellStep<Vector512Ops, Vector512<float>>(gateValues, zhValues, hPrevValues, hValues);
        else CellStep<VectorOps, Vector<float>>(gateValues, zhValues, hPrevValues, hValues);
    }

    private static void CellStep<TOps, TVec>(Span<float> gateValues, ReadOnlySpan<float> zhValues, ReadOnlySpan<float> hPrevValues, Span<float> hValues)
        where TOps : IGateMath<TVec> where TVec : struct
    {
        var gates = MemoryMarshal.Cast<float, TVec>(gateValues);
        var zh = MemoryMarshal.Cast<float, TVec>(zhValues);
        var hp = MemoryMarshal.Cast<float, TVec>(hPrevValues);
        var h = MemoryMarshal.Cast<float, TVec>(hValues);
        var first = hp.IsEmpty;
        var m = h.Length;
        for (var k = 0; k < m; k++)
        {
            var z = TOps.Sigmoid(TOps.Add(gates[k], zh[k]));
            var r = TOps.Sigmoid(TOps.Add(gates[m + k], zh[m + k]));
            var c = TOps.Tanh(TOps.MultiplyAdd(r, zh[2 * m + k], gates[2 * m + k]));
            gates[k] = z;
            gates[m + k] = r;
            gates[2 * m + k] = c;
            h[k] = first ? TOps.Multiply(TOps.Subtract(TOps.One, z), c) : TOps.MultiplyAdd(z, TOps.Subtract(hp[k], c), c);
        }
    }

    protected override bool StepWritesCarry => true;

    protected override void StepBackward(RecurrentState state, int t)
    {
        var s = (GruState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        var hp = t > 0 ? s.Hs.AsSpan((t - 1) * n, n) : default;
        // In place: Dzx is Gates' storage and Dzh is Zh's.
        if (GateMath.Wide(n)) StepBackward<Vector512Ops, Vector512<float>>(s.Gates.AsSpan(g0, 3 * n), s.Zh.AsSpan(g0, 3 * n), s.Dh, s.Carry, hp);
        else StepBackward<VectorOps, Vector<float>>(s.Gates.AsSpan(g0, 3 * n), s.Zh.AsSpan(g0, 3 * n), s.Dh, s.Carry, hp);
    }

    /// <summary>Gates (z, r, candidate) become dz_x and zh becomes dz_h; carry gets the direct part z ⊙ dh.</summary>
    private static void StepBackward<TOps, TVec>(Span<float> gateValues, Span<float> zhValues, ReadOnlySpan<float> dhValues,
        Span<float> carryValues, ReadOnlySpan<float> hPrevValues)
        where TOps : IGateMath<TVec> where TVec : struct
    {
        var gates = MemoryMarshal.Cast<float, TVec>(gateValues);
        var zh = MemoryMarshal.Cast<float, TVec>(zhValues);
        var dh = MemoryMarshal.Cast<float, TVec>(dhValues);
        var carry = MemoryMarshal.Cast<float, TVec>(carryValues);
        var hp = MemoryMarshal.Cast<float, TVec>(hPrevValues);
        var first = hp.IsEmpty;
        var m = dh.Length;
        var one = TOps.One;
        for (var k = 0; k < m; k++)
        {
            TVec z = gates[k], r = gates[m + k], c = gates[2 * m + k], d = dh[k], zhc = zh[2 * m + k];
            var prev = first ? TOps.Zero : hp[k];
            var dn = TOps.Multiply(TOps.Multiply(d, TOps.Subtract(one, z)), TOps.Subtract(one, TOps.Multiply(c, c)));
            var dzz = TOps.Multiply(TOps.Multiply(TOps.Multiply(d, TOps.Subtract(prev, c)), z), TOps.Subtract(one, z));
            var dzr = TOps.Multiply(TOps.Multiply(TOps.Multiply(dn, zhc), r), TOps.Subtract(one, r));
            gates[k] = dzz; zh[k] = dzz;
            gates[m + k] = dzr; zh[m + k] = dzr;
            gates[2 * m + k] = dn; zh[2 * m + k] = TOps.Multiply(dn, r);
            carry[k] = TOps.Multiply(d, z);
        }
    }

    protected override void EndBackward(RecurrentState s) =>
        LaneKernels.AccumulateRowSums(s.Dzh, 0, GateRows * s.Lanes, GateRows, s.Steps, s.Lanes, _biasHh.Grad);
}
