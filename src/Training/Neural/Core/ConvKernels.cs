using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecasting.Training.Neural.Core;

/// <summary>
/// Whole-sequence convolution products for the lane layout. <see cref="LaneKernels.Gemm"/> per
/// (output step, tap) re-reads and re-writes the output block once per tap and needs separate
/// passes for the bias fill and the activation; WaveNet's layers are small (20×20, 32 lanes), so
/// those passes and the per-call overhead were a large share of the work. Here each output block
/// is held in registers over every tap: bias in the accumulator, all taps summed, ReLU applied,
/// one store. The sum runs in the same order as bias fill + one Gemm per tap (taps ascending),
/// so results are bitwise the same as the per-tap form.
/// </summary>
public static class ConvKernels
{
    /// <summary>
    /// For every output step t &lt; ySteps:
    /// y[t·yStep + r·lanes + l] = act(init_r + Σ_k Σ_i w[tapW[k] + r·rowStride + i·colStride] · x[s·xStep + i·lanes + l]),
    /// with s = t·tStride + tapShift[k]; taps whose s falls outside [0, xSteps) are skipped
    /// (zero padding). init_r is bias[r] or 0; act is ReLU when <paramref name="relu"/>, else identity.
    /// </summary>
    public static void ConvSteps(float[] w, ReadOnlySpan<int> tapW, ReadOnlySpan<int> tapShift, int tStride,
        int rowStride, int colStride, int rows, int inner,
        float[] x, int xSteps, int xStep, float[] y, int ySteps, int yStep, int lanes, float[]? bias, bool relu)
    {
        if (rows == 0 || ySteps == 0) return;
        if (tapW.Length != tapShift.Length) throw new ArgumentException("one weight offset per tap shift");
        if (bias is not null && bias.Length < rows) throw new ArgumentException("bias shorter than rows");
        for (var k = 0; k < tapW.Length; k++)
            CheckRange(w.Length, tapW[k] + (rows - 1) * rowStride + Math.Max(0, inner - 1) * colStride);
        if (xSteps > 0) CheckRange(x.Length, (xSteps - 1) * xStep + inner * lanes - 1);
        CheckRange(y.Length, (ySteps - 1) * yStep + rows * lanes - 1);
        if (Vector512.IsHardwareAccelerated && lanes % 32 == 0)
        {
            ConvSteps512(w, tapW, tapShift, tStride, rowStride, colStride, rows, inner, x, xSteps, xStep, y, ySteps, yStep, lanes, bias, relu);
            return;
        }
        // Portable form: the per-tap products, in the same order.
        for (var t = 0; t < ySteps; t++)
        {
            var yo = t * yStep;
            if (bias is not null) LaneKernels.FillRows(bias, 0, rows, y, yo, lanes);
            else y.AsSpan(yo, rows * lanes).Clear();
            for (var k = 0; k < tapW.Length; k++)
            {
                var s = t * tStride + tapShift[k];
                if ((uint)s >= (uint)xSteps) continue;
                LaneKernels.Gemm(w, tapW[k], rowStride, colStride, rows, inner, x, s * xStep, y, yo, lanes, true);
            }
            if (relu) TensorPrimitives.Max(y.AsSpan(yo, rows * lanes), 0f, y.AsSpan(yo, rows * lanes));
        }
    }

    private static void ConvSteps512(float[] w, ReadOnlySpan<int> tapW, ReadOnlySpan<int> tapShift, int tStride,
        int rowStride, int colStride, int rows, int inner,
        float[] x, int xSteps, int xStep, float[] y, int ySteps, int yStep, int lanes, float[]? bias, bool relu)
    {
        ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var yr = ref MemoryMarshal.GetArrayDataReference(y);
        var ln = (nuint)lanes;
        var taps = tapW.Length;
        var zero = Vector512<float>.Zero;
        for (var t = 0; t < ySteps; t++)
        {
            var yt = t * yStep;
            var s0 = t * tStride;
            for (var lane = 0; lane < lanes; lane += 32)
            {
                var r = 0;
                // Four rows × two 16-float vectors: eight FMA chains, each x load feeding four rows.
                for (; r + 4 <= rows; r += 4)
                {
                    Vector512<float> a0, a1, b0, b1, c0, c1, d0, d1;
                    if (bias is not null)
                    {
                        a0 = a1 = Vector512.Create(bias[r]);
                        b0 = b1 = Vector512.Create(bias[r + 1]);
                        c0 = c1 = Vector512.Create(bias[r + 2]);
                        d0 = d1 = Vector512.Create(bias[r + 3]);
                    }
                    else a0 = a1 = b0 = b1 = c0 = c1 = d0 = d1 = zero;
                    for (var k = 0; k < taps; k++)
                    {
                        var s = s0 + tapShift[k];
                        if ((uint)s >= (uint)xSteps) continue;
                        var wo = tapW[k] + r * rowStride;
                        var xo = (nuint)(s * xStep + lane);
                        for (var i = 0; i < inner; i++)
                        {
                            var x0 = Vector512.LoadUnsafe(ref xr, xo);
                            var x1 = Vector512.LoadUnsafe(ref xr, xo + 16);
                            var wa = Vector512.Create(Unsafe.Add(ref wr, wo));
                            var wb = Vector512.Create(Unsafe.Add(ref wr, wo + rowStride));
                            var wc = Vector512.Create(Unsafe.Add(ref wr, wo + 2 * rowStride));
                            var wd = Vector512.Create(Unsafe.Add(ref wr, wo + 3 * rowStride));
                            a0 = Vector512.FusedMultiplyAdd(wa, x0, a0); a1 = Vector512.FusedMultiplyAdd(wa, x1, a1);
                            b0 = Vector512.FusedMultiplyAdd(wb, x0, b0); b1 = Vector512.FusedMultiplyAdd(wb, x1, b1);
                            c0 = Vector512.FusedMultiplyAdd(wc, x0, c0); c1 = Vector512.FusedMultiplyAdd(wc, x1, c1);
                            d0 = Vector512.FusedMultiplyAdd(wd, x0, d0); d1 = Vector512.FusedMultiplyAdd(wd, x1, d1);
                            wo += colStride;
                            xo += ln;
                        }
                    }
                    if (relu)
                    {
                        a0 = Vector512.Max(a0, zero); a1 = Vector512.Max(a1, zero);
                        b0 = Vector512.Max(b0, zero); b1 = Vector512.Max(b1, zero);
                        c0 = Vector512.Max(c0, zero); c1 = Vector512.Max(c1, zero);
                        d0 = Vector512.Max(d0, zero); d1 = Vector512.Max(d1, zero);
                    }
                    var yo = (nuint)(yt + r * lanes + lane);
                    a0.StoreUnsafe(ref yr, yo); a1.StoreUnsafe(ref yr, yo + 16);
                    b0.StoreUnsafe(ref yr, yo + ln); b1.StoreUnsafe(ref yr, yo + ln + 16);
                    c0.StoreUnsafe(ref yr, yo + 2 * ln); c1.StoreUnsafe(ref yr, yo + 2 * ln + 16);
                    d0.StoreUnsafe(ref yr, yo + 3 * ln); d1.StoreUnsafe(ref yr, yo + 3 * ln + 16);
                }
                for (; r < rows; r++)
                {
                    Vector512<float> a0, a1;
                    if (bias is not null) a0 = a1 = Vector512.Create(bias[r]);
                    else a0 = a1 = zero;
                    for (var k = 0; k < taps; k++)
                    {
                        var s = s0 + tapShift[k];
                        if ((uint)s >= (uint)xSteps) continue;
                        var wo = tapW[k] + r * rowStride;
                        var xo = (nuint)(s * xStep + lane);
                        for (var i = 0; i < inner; i++)
                        {
                            var wa = Vector512.Create(Unsafe.Add(ref wr, wo));
                            a0 = Vector512.FusedMultiplyAdd(wa, Vector512.LoadUnsafe(ref xr, xo), a0);
                            a1 = Vector512.FusedMultiplyAdd(wa, Vector512.LoadUnsafe(ref xr, xo + 16), a1);
                            wo += colStride;
                            xo += ln;
                        }
                    }
                    if (relu)
                    {
                        a0 = Vector512.Max(a0, zero);
                        a1 = Vector512.Max(a1, zero);
                    }
                    var yo = (nuint)(yt + r * lanes + lane);
                    a0.StoreUnsafe(ref yr, yo);
                    a1.StoreUnsafe(ref yr, yo + 16);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRange(int length, int lastIndex)
    {
        if ((uint)lastIndex >= (uint)length) throw new IndexOutOfRangeException($"kernel extent {lastIndex} outside buffer of {length}");
    }
}
