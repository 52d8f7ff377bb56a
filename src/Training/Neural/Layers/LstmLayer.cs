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
        : RecurrentState(output, steps, inputs, units, gateRows, lanes, false, returnSequences)
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
        if (Vector512.IsHardwareAccelerated && h.Length % 16 == 0) CellStep<Vector512Ops, Vector512<float>>(gates, cPrev, c, tanhC, h);
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

    /// <summary>The few vector operations of a cell step, for 8- and 16-float vectors without duplicating the step.</summary>
    private interface IGateMath<TVec>
    {
        static abstract TVec Sigmoid(TVec v);
        static abstract TVec Tanh(TVec v);
        static abstract TVec Multiply(TVec a, TVec b);
        static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    }

    private readonly struct VectorOps : IGateMath<Vector<float>>
    {
        public static Vector<float> Sigmoid(Vector<float> v) => FastMath.Sigmoid(v);
        public static Vector<float> Tanh(Vector<float> v) => FastMath.Tanh(v);
        public static Vector<float> Multiply(Vector<float> a, Vector<float> b) => a * b;
        public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.FusedMultiplyAdd(a, b, c);
    }

    private readonly struct Vector512Ops : IGateMath<Vector512<float>>
    {
        public static Vector512<float> Sigmoid(Vector512<float> v) => FastMath.Sigmoid(v);
        public static Vector512<float> Tanh(Vector512<float> v) => FastMath.Tanh(v);
        public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
        public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    }

    protected override void BeginBackward(RecurrentState state) => Array.Clear(((LstmState)state).CarryC);

    protected override void StepBackward(RecurrentState state, int t)
    {
        var s = (LstmState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        var gates = MemoryMarshal.Cast<float, Vector<float>>(s.Gates.AsSpan(g0, 4 * n));
        var dz = MemoryMarshal.Cast<float, Vector<float>>(s.Dzx.AsSpan(g0, 4 * n));
        var tc = MemoryMarshal.Cast<float, Vector<float>>(s.TanhC.AsSpan(t * n, n));
        var dh = MemoryMarshal.Cast<float, Vector<float>>(s.Dh.AsSpan());
        var carryC = MemoryMarshal.Cast<float, Vector<float>>(s.CarryC.AsSpan());
        var cPrev = t > 0 ? MemoryMarshal.Cast<float, Vector<float>>(s.C.AsSpan((t - 1) * n, n)) : default;
        var m = n / Vector<float>.Count;
        var one = Vector<float>.One;
        for (var k = 0; k < m; k++)
        {
            Vector<float> i = gates[k], f = gates[m + k], g = gates[2 * m + k], o = gates[3 * m + k], c = tc[k], d = dh[k];
            var dc = carryC[k] + d * o * (one - c * c);
            dz[k] = dc * g * i * (one - i);
            dz[m + k] = t > 0 ? dc * cPrev[k] * f * (one - f) : Vector<float>.Zero;
            dz[2 * m + k] = dc * i * (one - g * g);
            dz[3 * m + k] = d * c * o * (one - o);
            carryC[k] = dc * f;
        }
        Array.Clear(s.Carry);
    }
}
