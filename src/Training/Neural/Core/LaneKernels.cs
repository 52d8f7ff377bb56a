using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forecasting.Training.Neural.Core;

/// <summary>
/// The two products everything is built on, written for the lane layout: rows of a weight
/// matrix against [feature][lane] blocks. Four independent accumulators per row keep the FMA
/// pipeline busy (batch 32 = four 8-float vectors).
/// Callers guarantee extents; indexing is unchecked for speed.
/// </summary>
public static class LaneKernels
{
    /// <summary>
    /// y[r, 0..lanes) (+)= Σ_i w[wOff + r·rowStride + i·colStride] · x[xOff + i·lanes + 0..lanes).
    /// With rowStride/colStride swapped this multiplies by the transpose without copying.
    /// </summary>
    public static void Gemm(float[] w, int wOff, int rowStride, int colStride, int rows, int inner,
        float[] x, int xOff, float[] y, int yOff, int lanes, bool accumulate)
    {
        if (rows == 0) return;
        CheckRange(w.Length, wOff + (rows - 1) * rowStride + Math.Max(0, inner - 1) * colStride);
        CheckRange(x.Length, xOff + inner * lanes - 1);
        CheckRange(y.Length, yOff + rows * lanes - 1);
        var vw = Vector<float>.Count;
        ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var yr = ref MemoryMarshal.GetArrayDataReference(y);
        var lane = 0;
        for (; lane + 4 * vw <= lanes; lane += 4 * vw)
        {
            for (var r = 0; r < rows; r++)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                Vector<float> a0, a1, a2, a3;
                if (accumulate)
                {
                    a0 = Vector.LoadUnsafe(ref yr, yo);
                    a1 = Vector.LoadUnsafe(ref yr, yo + (nuint)vw);
                    a2 = Vector.LoadUnsafe(ref yr, yo + (nuint)(2 * vw));
                    a3 = Vector.LoadUnsafe(ref yr, yo + (nuint)(3 * vw));
                }
                else a0 = a1 = a2 = a3 = Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    var wv = new Vector<float>(Unsafe.Add(ref wr, wo));
                    a0 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo), a0);
                    a1 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo + (nuint)vw), a1);
                    a2 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo + (nuint)(2 * vw)), a2);
                    a3 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo + (nuint)(3 * vw)), a3);
                    wo += colStride;
                    xo += (nuint)lanes;
                }
                a0.StoreUnsafe(ref yr, yo);
                a1.StoreUnsafe(ref yr, yo + (nuint)vw);
                a2.StoreUnsafe(ref yr, yo + (nuint)(2 * vw));
                a3.StoreUnsafe(ref yr, yo + (nuint)(3 * vw));
            }
        }
        for (; lane < lanes; lane += vw)
        {
            for (var r = 0; r < rows; r++)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                var a0 = accumulate ? Vector.LoadUnsafe(ref yr, yo) : Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo)), Vector.LoadUnsafe(ref xr, xo), a0);
                    wo += colStride;
                    xo += (nuint)lanes;
                }
                a0.StoreUnsafe(ref yr, yo);
            }
        }
    }

    /// <summary>
    /// Weight gradient over a whole batch and many time steps at once:
    /// dw[dwOff + r·dwRowStride + c·dwColStride] += Σ_{s&lt;count} Σ_lanes dy[dyOff + s·dyStep + r·lanes + l] · x[xOff + s·xStep + c·lanes + l].
    /// The lane sums are reduced once per (r, c), not once per step.
    /// </summary>
    public static void AccumulateOuter(float[] dy, int dyOff, int dyStep, int rows,
        float[] x, int xOff, int xStep, int cols, int count, int lanes,
        float[] dw, int dwOff, int dwRowStride, int dwColStride)
    {
        if (count <= 0 || rows == 0 || cols == 0) return;
        CheckRange(dy.Length, dyOff + (count - 1) * dyStep + rows * lanes - 1);
        CheckRange(x.Length, xOff + (count - 1) * xStep + cols * lanes - 1);
        CheckRange(dw.Length, dwOff + (rows - 1) * dwRowStride + (cols - 1) * dwColStride);
        var vw = Vector<float>.Count;
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dy);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        var full = lanes / (4 * vw) * (4 * vw);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                var dOff = (nuint)(dyOff + r * lanes);
                var xo = (nuint)(xOff + c * lanes);
                for (var s = 0; s < count; s++)
                {
                    var l = 0;
                    for (; l < full; l += 4 * vw)
                    {
                        var d = dOff + (nuint)l;
                        var xx = xo + (nuint)l;
                        a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d), Vector.LoadUnsafe(ref xr, xx), a0);
                        a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d + (nuint)vw), Vector.LoadUnsafe(ref xr, xx + (nuint)vw), a1);
                        a2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d + (nuint)(2 * vw)), Vector.LoadUnsafe(ref xr, xx + (nuint)(2 * vw)), a2);
                        a3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d + (nuint)(3 * vw)), Vector.LoadUnsafe(ref xr, xx + (nuint)(3 * vw)), a3);
                    }
                    for (; l < lanes; l += vw)
                        a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, dOff + (nuint)l), Vector.LoadUnsafe(ref xr, xo + (nuint)l), a0);
                    dOff += (nuint)dyStep;
                    xo += (nuint)xStep;
                }
                dw[dwOff + r * dwRowStride + c * dwColStride] += Vector.Sum((a0 + a1) + (a2 + a3));
            }
        }
    }

    /// <summary>db[r] += Σ_{s&lt;count} Σ_lanes dy[dyOff + s·dyStep + r·lanes + l] (bias gradients).</summary>
    public static void AccumulateRowSums(float[] dy, int dyOff, int dyStep, int rows, int count, int lanes, float[] db, int dbOff = 0)
    {
        if (count <= 0) return;
        CheckRange(dy.Length, dyOff + (count - 1) * dyStep + rows * lanes - 1);
        var vw = Vector<float>.Count;
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dy);
        for (var r = 0; r < rows; r++)
        {
            Vector<float> a0 = Vector<float>.Zero, a1 = a0;
            var o = (nuint)(dyOff + r * lanes);
            for (var s = 0; s < count; s++)
            {
                var l = 0;
                for (; l + 2 * vw <= lanes; l += 2 * vw)
                {
                    a0 += Vector.LoadUnsafe(ref dr, o + (nuint)l);
                    a1 += Vector.LoadUnsafe(ref dr, o + (nuint)(l + vw));
                }
                for (; l < lanes; l += vw) a0 += Vector.LoadUnsafe(ref dr, o + (nuint)l);
                o += (nuint)dyStep;
            }
            db[dbOff + r] += Vector.Sum(a0 + a1);
        }
    }

    /// <summary>Sets each of <paramref name="rows"/> lane rows to its bias value.</summary>
    public static void FillRows(float[] bias, int biasOff, int rows, float[] y, int yOff, int lanes)
    {
        for (var r = 0; r < rows; r++) y.AsSpan(yOff + r * lanes, lanes).Fill(bias[biasOff + r]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRange(int length, int lastIndex)
    {
        // One check per call (not per element) so unchecked indexing below stays memory-safe.
        if ((uint)lastIndex >= (uint)length) throw new IndexOutOfRangeException($"kernel extent {lastIndex} outside buffer of {length}");
    }
}
