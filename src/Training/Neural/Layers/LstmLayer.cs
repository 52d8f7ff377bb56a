using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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

    protected override void StepForward(RecurrentState state, int t)
    {
        var s = (LstmState)state;
        var n = Units * s.Lanes;
        var g0 = t * GateRows * s.Lanes;
        RecurrentProduct(s, t, s.Gates, g0);
        // One fused pass per step: gate activations (kept for backward), cell, hidden.
        var gates = MemoryMarshal.Cast<float, Vector<float>>(s.Gates.AsSpan(g0, 4 * n));
        var c = MemoryMarshal.Cast<float, Vector<float>>(s.C.AsSpan(t * n, n));
        var tc = MemoryMarshal.Cast<float, Vector<float>>(s.TanhC.AsSpan(t * n, n));
        var h = MemoryMarshal.Cast<float, Vector<float>>(s.Hs.AsSpan(t * n, n));
        var cPrev = t > 0 ? MemoryMarshal.Cast<float, Vector<float>>(s.C.AsSpan((t - 1) * n, n)) : default;
        var m = n / Vector<float>.Count;
        for (var k = 0; k < m; k++)
        {
            var i = FastMath.Sigmoid(gates[k]);
            var f = FastMath.Sigmoid(gates[m + k]);
            var g = FastMath.Tanh(gates[2 * m + k]);
            var o = FastMath.Sigmoid(gates[3 * m + k]);
            gates[k] = i;
            gates[m + k] = f;
            gates[2 * m + k] = g;
            gates[3 * m + k] = o;
            var cell = t > 0 ? Vector.FusedMultiplyAdd(f, cPrev[k], i * g) : i * g;
            c[k] = cell;
            var tanhC = FastMath.Tanh(cell);
            tc[k] = tanhC;
            h[k] = o * tanhC;
        }
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
