using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras LSTM (gate order i, f, c, o; sigmoid gates, tanh cell; unit_forget_bias: the forget
/// bias starts at 1). c_t = f⊙c_{t-1} + i⊙g, h_t = o⊙tanh(c_t).
/// </summary>
public sealed class LstmLayer : RecurrentLayer
{
    public LstmLayer(string name, int inputs, int units, bool returnSequences, float dropout, float recurrentDropout, Random rng)
        : base(name, inputs, units, 4, returnSequences, dropout, recurrentDropout, rng)
    {
        Array.Fill(Bias.Value, 1f, units, units);
    }

    private sealed class LstmState(LaneTensor output, int steps, int inputs, int units, int gateRows, int lanes, bool returnSequences)
        : RecurrentState(output, steps, inputs, units, gateRows, lanes, returnSequences)
    {
        public float[] C { get; } = new float[steps * units * lanes];
        public float[] TanhC { get; } = new float[steps * units * lanes];
        public float[] CarryC { get; } = new float[units * lanes];
    }

    protected override RecurrentState CreateRecurrentState(LaneTensor output, int steps, int lanes) =>
        new LstmState(output, steps, Inputs, Units, GateRows, lanes, ReturnSequences);

    private sealed class SeriesLstmState(int steps, int inputs, int units, bool returnSequences)
        : SeriesRecurrentState(steps, inputs, units, 4, returnSequences)
    {
        /// <summary>c_t, updated in place step by step; tanh(c_t) is written but only the lane path needs it.</summary>
        public float[] C { get; } = new float[LaneMath.LanesFor(units)];
        public float[] TanhC { get; } = new float[LaneMath.LanesFor(units)];
    }

    protected override SeriesRecurrentState CreateSeriesRecurrentState(int steps) => new SeriesLstmState(steps, Inputs, Units, ReturnSequences);

    protected override void StepForward(RecurrentState state, int t)
    {
        var s = (LstmState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        RecurrentProduct(s, t, s.Gates, g0);
        CellStep(s.Gates.AsSpan(g0, 4 * n), t > 0 ? s.C.AsSpan((t - 1) * n, n) : default, s.C.AsSpan(t * n, n), s.TanhC.AsSpan(t * n, n), s.Hs.AsSpan(t * n, n));
    }

    protected override void StepForward(SeriesRecurrentState state, int t)
    {
        var s = (SeriesLstmState)state;
        var g0 = t * s.GateWidth;
        RecurrentProduct(s, t, s.Gates, g0);
        CellStep(s.Gates.AsSpan(g0, s.GateWidth), t > 0 ? s.C : default, s.C, s.TanhC, s.Hs.AsSpan(t * s.Width, s.Width));
    }

    /// <summary>
    /// One fused pass per step over gate pre-activations (four blocks of h.Length floats: i, f, c, o):
    /// replaces them with the activations (kept for backward) and writes c, tanh c and h.
    /// cPrev is empty at t = 0 and may be c itself (each element is read before it is written).
    /// </summary>
    private static void CellStep(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        if (GateMath.Wide(h.Length)) CellStep<Vector512Ops, Vector512<float>>(gates, cPrev, c, tanhC, h);
        else CellStep<VectorOps, Vector<float>>(gates, cPrev, c, tanhC, h);
    }

    private static void CellStep<TOps, TVec>(Span<float> gateValues, ReadOnlySpan<float> cPrevValues, Span<float> cValues, Span<float> tanhCValues, Span<float> hValues)
        where TOps : IGateMath<TVec> where TVec : struct
    {
        var gates = MemoryMarshal.Cast<float, TVec>(gateValues);
        var cPrev = MemoryMarshal.Cast<float, TVec>(cPrevValues);
        var c = MemoryMarshal.Cast<float, TVec>(cValues);
        var tc = MemoryMarshal.Cast<float, TVec>(tanhCValues);
        var h = MemoryMarshal.Cast<float, TVec>(hValues);
        var first = cPrev.IsEmpty;
        var m = h.Length;
        for (var k = 0; k < m; k++)
        {
            var i = TOps.Sigmoid(gates[k]);
            var f = TOps.Sigmoid(gates[m + k]);
            var g = TOps.Tanh(gates[2 * m + k]);
            var o = TOps.Sigmoid(gates[3 * m + k]);
            gates[k] = i;
            gates[m + k] = f;
            gates[2 * m + k] = g;
            gates[3 * m + k] = o;
            var cell = first ? TOps.Multiply(i, g) : TOps.MultiplyAdd(f, cPrev[k], TOps.Multiply(i, g));
            c[k] = cell;
            var tanhC = TOps.Tanh(cell);
            tc[k] = tanhC;
            h[k] = TOps.Multiply(o, tanhC);
        }
    }

    protected override void BeginBackward(RecurrentState state) => Array.Clear(((LstmState)state).CarryC);

    protected override void StepBackward(RecurrentState state, int t)
    {
        var s = (LstmState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        // Dzx is Gates' storage: each step reads its activations before writing its gradients.
        var gates = s.Gates.AsSpan(g0, 4 * n);
        var cPrev = t > 0 ? s.C.AsSpan((t - 1) * n, n) : default;
        if (GateMath.Wide(n)) StepBackward<Vector512Ops, Vector512<float>>(gates, s.TanhC.AsSpan(t * n, n), s.Dh, s.CarryC, cPrev);
        else StepBackward<VectorOps, Vector<float>>(gates, s.TanhC.AsSpan(t * n, n), s.Dh, s.CarryC, cPrev);
    }

    /// <summary>Gate activations in, gate pre-activation gradients out (in place); updates dL/dc carried back.</summary>
    private static void StepBackward<TOps, TVec>(Span<float> gateValues, ReadOnlySpan<float> tanhCValues, ReadOnlySpan<float> dhValues,
        Span<float> carryCValues, ReadOnlySpan<float> cPrevValues)
        where TOps : IGateMath<TVec> where TVec : struct
    {
        var gates = MemoryMarshal.Cast<float, TVec>(gateValues);
        var tc = MemoryMarshal.Cast<float, TVec>(tanhCValues);
        var dh = MemoryMarshal.Cast<float, TVec>(dhValues);
        var carryC = MemoryMarshal.Cast<float, TVec>(carryCValues);
        var cPrev = MemoryMarshal.Cast<float, TVec>(cPrevValues);
        var first = cPrev.IsEmpty;
        var m = tc.Length;
        var one = TOps.One;
        for (var k = 0; k < m; k++)
        {
            TVec i = gates[k], f = gates[m + k], g = gates[2 * m + k], o = gates[3 * m + k], c = tc[k], d = dh[k];
            var dc = TOps.Add(carryC[k], TOps.Multiply(TOps.Multiply(d, o), TOps.Subtract(one, TOps.Multiply(c, c))));
            gates[k] = TOps.Multiply(TOps.Multiply(TOps.Multiply(dc, g), i), TOps.Subtract(one, i));
            gates[m + k] = first ? TOps.Zero : TOps.Multiply(TOps.Multiply(TOps.Multiply(dc, cPrev[k]), f), TOps.Subtract(one, f));
            gates[2 * m + k] = TOps.Multiply(TOps.Multiply(dc, i), TOps.Subtract(one, TOps.Multiply(g, g)));
            gates[3 * m + k] = TOps.Multiply(TOps.Multiply(TOps.Multiply(d, c), o), TOps.Subtract(one, o));
            carryC[k] = TOps.Multiply(dc, f);
        }
    }
}
