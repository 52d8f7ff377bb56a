using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// Blocks of 32 lanes take two rows at a time (8 independent FMA chains, each x load used
    /// twice); lanes left after the 32-lane blocks (small batches, the single-series path's
    /// output rows) take eight or four rows per vector.
    /// </summary>
    public static void Gemm(float[] w, int wOff, int rowStride, int colStride, int rows, int inner,
        float[] x, int xOff, float[] y, int yOff, int lanes, bool accumulate)
    {
        if (rows == 0) return;
        CheckRange(w.Length, wOff + (rows - 1) * rowStride + Math.Max(0, inner - 1) * colStride);
        CheckRange(x.Length, xOff + inner * lanes - 1);
        CheckRange(y.Length, yOff + rows * lanes - 1);
        if (Vector512.IsHardwareAccelerated && lanes % 32 == 0)
        {
            Gemm512(w, wOff, rowStride, colStride, rows, inner, x, xOff, y, yOff, lanes, accumulate);
            return;
        }
        var vw = Vector<float>.Count;
        ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var yr = ref MemoryMarshal.GetArrayDataReference(y);
        var v1 = (nuint)vw;
        var v2 = (nuint)(2 * vw);
        var v3 = (nuint)(3 * vw);
        var lane = 0;
        for (; lane + 4 * vw <= lanes; lane += 4 * vw)
        {
            var r = 0;
            for (; r + 2 <= rows; r += 2)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                var yo2 = yo + (nuint)lanes;
                Vector<float> a0, a1, a2, a3, b0, b1, b2, b3;
                if (accumulate)
                {
                    a0 = Vector.LoadUnsafe(ref yr, yo); a1 = Vector.LoadUnsafe(ref yr, yo + v1);
                    a2 = Vector.LoadUnsafe(ref yr, yo + v2); a3 = Vector.LoadUnsafe(ref yr, yo + v3);
                    b0 = Vector.LoadUnsafe(ref yr, yo2); b1 = Vector.LoadUnsafe(ref yr, yo2 + v1);
                    b2 = Vector.LoadUnsafe(ref yr, yo2 + v2); b3 = Vector.LoadUnsafe(ref yr, yo2 + v3);
                }
                else a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    var wa = new Vector<float>(Unsafe.Add(ref wr, wo));
                    var wb = new Vector<float>(Unsafe.Add(ref wr, wo + rowStride));
                    var x0 = Vector.LoadUnsafe(ref xr, xo);
                    var x1 = Vector.LoadUnsafe(ref xr, xo + v1);
                    var x2 = Vector.LoadUnsafe(ref xr, xo + v2);
                    var x3 = Vector.LoadUnsafe(ref xr, xo + v3);
                    a0 = Vector.FusedMultiplyAdd(wa, x0, a0); b0 = Vector.FusedMultiplyAdd(wb, x0, b0);
                    a1 = Vector.FusedMultiplyAdd(wa, x1, a1); b1 = Vector.FusedMultiplyAdd(wb, x1, b1);
                    a2 = Vector.FusedMultiplyAdd(wa, x2, a2); b2 = Vector.FusedMultiplyAdd(wb, x2, b2);
                    a3 = Vector.FusedMultiplyAdd(wa, x3, a3); b3 = Vector.FusedMultiplyAdd(wb, x3, b3);
                    wo += colStride;
                    xo += (nuint)lanes;
                }
                a0.StoreUnsafe(ref yr, yo); a1.StoreUnsafe(ref yr, yo + v1); a2.StoreUnsafe(ref yr, yo + v2); a3.StoreUnsafe(ref yr, yo + v3);
                b0.StoreUnsafe(ref yr, yo2); b1.StoreUnsafe(ref yr, yo2 + v1); b2.StoreUnsafe(ref yr, yo2 + v2); b3.StoreUnsafe(ref yr, yo2 + v3);
            }
            for (; r < rows; r++)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                Vector<float> a0, a1, a2, a3;
                if (accumulate)
                {
                    a0 = Vector.LoadUnsafe(ref yr, yo); a1 = Vector.LoadUnsafe(ref yr, yo + v1);
                    a2 = Vector.LoadUnsafe(ref yr, yo + v2); a3 = Vector.LoadUnsafe(ref yr, yo + v3);
                }
                else a0 = a1 = a2 = a3 = Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    var wv = new Vector<float>(Unsafe.Add(ref wr, wo));
                    a0 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo), a0);
                    a1 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo + v1), a1);
                    a2 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo + v2), a2);
                    a3 = Vector.FusedMultiplyAdd(wv, Vector.LoadUnsafe(ref xr, xo + v3), a3);
                    wo += colStride;
                    xo += (nuint)lanes;
                }
                a0.StoreUnsafe(ref yr, yo); a1.StoreUnsafe(ref yr, yo + v1); a2.StoreUnsafe(ref yr, yo + v2); a3.StoreUnsafe(ref yr, yo + v3);
            }
        }
        for (; lane < lanes; lane += vw)
        {
            var r = 0;
            var step = (nuint)lanes;
            // Eight rows per pass: eight FMA chains share each x load.
            for (; r + 8 <= rows; r += 8)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                Vector<float> a0, a1, a2, a3, a4, a5, a6, a7;
                if (accumulate)
                {
                    a0 = Vector.LoadUnsafe(ref yr, yo); a1 = Vector.LoadUnsafe(ref yr, yo + step);
                    a2 = Vector.LoadUnsafe(ref yr, yo + 2 * step); a3 = Vector.LoadUnsafe(ref yr, yo + 3 * step);
                    a4 = Vector.LoadUnsafe(ref yr, yo + 4 * step); a5 = Vector.LoadUnsafe(ref yr, yo + 5 * step);
                    a6 = Vector.LoadUnsafe(ref yr, yo + 6 * step); a7 = Vector.LoadUnsafe(ref yr, yo + 7 * step);
                }
                else a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    var xv = Vector.LoadUnsafe(ref xr, xo);
                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo)), xv, a0);
                    a1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + rowStride)), xv, a1);
                    a2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 2 * rowStride)), xv, a2);
                    a3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 3 * rowStride)), xv, a3);
                    a4 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 4 * rowStride)), xv, a4);
                    a5 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 5 * rowStride)), xv, a5);
                    a6 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 6 * rowStride)), xv, a6);
                    a7 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 7 * rowStride)), xv, a7);
                    wo += colStride;
                    xo += step;
                }
                a0.StoreUnsafe(ref yr, yo); a1.StoreUnsafe(ref yr, yo + step); a2.StoreUnsafe(ref yr, yo + 2 * step); a3.StoreUnsafe(ref yr, yo + 3 * step);
                a4.StoreUnsafe(ref yr, yo + 4 * step); a5.StoreUnsafe(ref yr, yo + 5 * step); a6.StoreUnsafe(ref yr, yo + 6 * step); a7.StoreUnsafe(ref yr, yo + 7 * step);
            }
            for (; r + 4 <= rows; r += 4)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                Vector<float> a0, a1, a2, a3;
                if (accumulate)
                {
                    a0 = Vector.LoadUnsafe(ref yr, yo); a1 = Vector.LoadUnsafe(ref yr, yo + step);
                    a2 = Vector.LoadUnsafe(ref yr, yo + 2 * step); a3 = Vector.LoadUnsafe(ref yr, yo + 3 * step);
                }
                else a0 = a1 = a2 = a3 = Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    var xv = Vector.LoadUnsafe(ref xr, xo);
                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo)), xv, a0);
                    a1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + rowStride)), xv, a1);
                    a2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 2 * rowStride)), xv, a2);
                    a3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo + 3 * rowStride)), xv, a3);
                    wo += colStride;
                    xo += step;
                }
                a0.StoreUnsafe(ref yr, yo); a1.StoreUnsafe(ref yr, yo + step); a2.StoreUnsafe(ref yr, yo + 2 * step); a3.StoreUnsafe(ref yr, yo + 3 * step);
            }
            for (; r < rows; r++)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                var a0 = accumulate ? Vector.LoadUnsafe(ref yr, yo) : Vector<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref wr, wo)), Vector.LoadUnsafe(ref xr, xo), a0);
                    wo += colStride;
                    xo += step;
                }
                a0.StoreUnsafe(ref yr, yo);
            }
        }
    }

    /// <summary>
    /// Weight gradient over a whole batch and many time steps at once:
    /// dw[dwOff + r·dwRowStride + c·dwColStride] += Σ_{s&lt;count} Σ_lanes dy[dyOff + s·dyStep + r·lanes + l] · x[xOff + s·xStep + c·lanes + l].
    /// The lane sums are reduced once per (r, c), not once per step; (r, c) go in 4×2 and 2×2 blocks
    /// so loads are shared between FMAs.
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
        var r = 0;
        if (Vector512.IsHardwareAccelerated && lanes % 16 == 0 && cols >= 2)
            r = AccumulateOuter512(dy, dyOff, dyStep, rows, x, xOff, xStep, cols, count, lanes, dw, dwOff, dwRowStride, dwColStride);
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dy);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        var pairs = lanes / (2 * vw) * (2 * vw);
        var v1 = (nuint)vw;
        // 4×2 blocks: six loads feed eight independent FMA chains.
        for (; r + 4 <= rows && cols >= 2; r += 4)
        {
            var c = 0;
            for (; c + 2 <= cols; c += 2)
            {
                Vector<float> a00 = Vector<float>.Zero, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                var d0 = (nuint)(dyOff + r * lanes);
                var x0 = (nuint)(xOff + c * lanes);
                var ln = (nuint)lanes;
                for (var s = 0; s < count; s++)
                {
                    for (var l = 0; l < lanes; l += vw)
                    {
                        var d = d0 + (nuint)l;
                        var xa = Vector.LoadUnsafe(ref xr, x0 + (nuint)l);
                        var xb = Vector.LoadUnsafe(ref xr, x0 + (nuint)l + ln);
                        var y0 = Vector.LoadUnsafe(ref dr, d);
                        var y1 = Vector.LoadUnsafe(ref dr, d + ln);
                        var y2 = Vector.LoadUnsafe(ref dr, d + 2 * ln);
                        var y3 = Vector.LoadUnsafe(ref dr, d + 3 * ln);
                        a00 = Vector.FusedMultiplyAdd(y0, xa, a00); a01 = Vector.FusedMultiplyAdd(y0, xb, a01);
                        a10 = Vector.FusedMultiplyAdd(y1, xa, a10); a11 = Vector.FusedMultiplyAdd(y1, xb, a11);
                        a20 = Vector.FusedMultiplyAdd(y2, xa, a20); a21 = Vector.FusedMultiplyAdd(y2, xb, a21);
                        a30 = Vector.FusedMultiplyAdd(y3, xa, a30); a31 = Vector.FusedMultiplyAdd(y3, xb, a31);
                    }
                    d0 += (nuint)dyStep;
                    x0 += (nuint)xStep;
                }
                var o = dwOff + r * dwRowStride + c * dwColStride;
                dw[o] += Vector.Sum(a00);
                dw[o + dwColStride] += Vector.Sum(a01);
                dw[o + dwRowStride] += Vector.Sum(a10);
                dw[o + dwRowStride + dwColStride] += Vector.Sum(a11);
                dw[o + 2 * dwRowStride] += Vector.Sum(a20);
                dw[o + 2 * dwRowStride + dwColStride] += Vector.Sum(a21);
                dw[o + 3 * dwRowStride] += Vector.Sum(a30);
                dw[o + 3 * dwRowStride + dwColStride] += Vector.Sum(a31);
            }
            for (; c < cols; c++)
                for (var k = 0; k < 4; k++)
                {
                    OuterSingle(ref dr, ref xr, dyOff + (r + k) * lanes, dyStep, xOff + c * lanes, xStep, count, lanes, out var s0);
                    dw[dwOff + (r + k) * dwRowStride + c * dwColStride] += s0;
                }
        }
        for (; r + 2 <= rows; r += 2)
        {
            var c = 0;
            for (; c + 2 <= cols; c += 2)
            {
                Vector<float> a00 = Vector<float>.Zero, a01 = a00, a10 = a00, a11 = a00, b00 = a00, b01 = a00, b10 = a00, b11 = a00;
                var d0 = (nuint)(dyOff + r * lanes);
                var x0 = (nuint)(xOff + c * lanes);
                for (var s = 0; s < count; s++)
                {
                    var l = 0;
                    for (; l < pairs; l += 2 * vw)
                    {
                        var da = Vector.LoadUnsafe(ref dr, d0 + (nuint)l);
                        var db = Vector.LoadUnsafe(ref dr, d0 + (nuint)(l + lanes));
                        var xa = Vector.LoadUnsafe(ref xr, x0 + (nuint)l);
                        var xb = Vector.LoadUnsafe(ref xr, x0 + (nuint)(l + lanes));
                        a00 = Vector.FusedMultiplyAdd(da, xa, a00); a01 = Vector.FusedMultiplyAdd(da, xb, a01);
                        a10 = Vector.FusedMultiplyAdd(db, xa, a10); a11 = Vector.FusedMultiplyAdd(db, xb, a11);
                        da = Vector.LoadUnsafe(ref dr, d0 + (nuint)l + v1);
                        db = Vector.LoadUnsafe(ref dr, d0 + (nuint)(l + lanes) + v1);
                        xa = Vector.LoadUnsafe(ref xr, x0 + (nuint)l + v1);
                        xb = Vector.LoadUnsafe(ref xr, x0 + (nuint)(l + lanes) + v1);
                        b00 = Vector.FusedMultiplyAdd(da, xa, b00); b01 = Vector.FusedMultiplyAdd(da, xb, b01);
                        b10 = Vector.FusedMultiplyAdd(db, xa, b10); b11 = Vector.FusedMultiplyAdd(db, xb, b11);
                    }
                    for (; l < lanes; l += vw)
                    {
                        var da = Vector.LoadUnsafe(ref dr, d0 + (nuint)l);
                        var db = Vector.LoadUnsafe(ref dr, d0 + (nuint)(l + lanes));
                        var xa = Vector.LoadUnsafe(ref xr, x0 + (nuint)l);
                        var xb = Vector.LoadUnsafe(ref xr, x0 + (nuint)(l + lanes));
                        a00 = Vector.FusedMultiplyAdd(da, xa, a00); a01 = Vector.FusedMultiplyAdd(da, xb, a01);
                        a10 = Vector.FusedMultiplyAdd(db, xa, a10); a11 = Vector.FusedMultiplyAdd(db, xb, a11);
                    }
                    d0 += (nuint)dyStep;
                    x0 += (nuint)xStep;
                }
                var o = dwOff + r * dwRowStride + c * dwColStride;
                dw[o] += Vector.Sum(a00 + b00);
                dw[o + dwColStride] += Vector.Sum(a01 + b01);
                dw[o + dwRowStride] += Vector.Sum(a10 + b10);
                dw[o + dwRowStride + dwColStride] += Vector.Sum(a11 + b11);
            }
            for (; c < cols; c++)
            {
                OuterSingle(ref dr, ref xr, dyOff + r * lanes, dyStep, xOff + c * lanes, xStep, count, lanes, out var s0);
                OuterSingle(ref dr, ref xr, dyOff + (r + 1) * lanes, dyStep, xOff + c * lanes, xStep, count, lanes, out var s1);
                dw[dwOff + r * dwRowStride + c * dwColStride] += s0;
                dw[dwOff + (r + 1) * dwRowStride + c * dwColStride] += s1;
            }
        }
        for (; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                OuterSingle(ref dr, ref xr, dyOff + r * lanes, dyStep, xOff + c * lanes, xStep, count, lanes, out var s0);
                dw[dwOff + r * dwRowStride + c * dwColStride] += s0;
            }
    }

    /// <summary>
    /// AVX-512 form of <see cref="Gemm"/> for lane counts that are multiples of 32: four rows ×
    /// two 16-float vectors per pass (eight FMA chains, each x load feeding four rows).
    /// </summary>
    private static void Gemm512(float[] w, int wOff, int rowStride, int colStride, int rows, int inner,
        float[] x, int xOff, float[] y, int yOff, int lanes, bool accumulate, float[]? bias = null, int biasOff = 0)
    {
        ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var yr = ref MemoryMarshal.GetArrayDataReference(y);
        var ln = (nuint)lanes;
        for (var lane = 0; lane < lanes; lane += 32)
        {
            var r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                Vector512<float> a0, a1, b0, b1, c0, c1, d0, d1;
                if (bias is not null)
                {
                    a0 = a1 = Vector512.Create(bias[biasOff + r]);
                    b0 = b1 = Vector512.Create(bias[biasOff + r + 1]);
                    c0 = c1 = Vector512.Create(bias[biasOff + r + 2]);
                    d0 = d1 = Vector512.Create(bias[biasOff + r + 3]);
                }
                else if (accumulate)
                {
                    a0 = Vector512.LoadUnsafe(ref yr, yo); a1 = Vector512.LoadUnsafe(ref yr, yo + 16);
                    b0 = Vector512.LoadUnsafe(ref yr, yo + ln); b1 = Vector512.LoadUnsafe(ref yr, yo + ln + 16);
                    c0 = Vector512.LoadUnsafe(ref yr, yo + 2 * ln); c1 = Vector512.LoadUnsafe(ref yr, yo + 2 * ln + 16);
                    d0 = Vector512.LoadUnsafe(ref yr, yo + 3 * ln); d1 = Vector512.LoadUnsafe(ref yr, yo + 3 * ln + 16);
                }
                else a0 = a1 = b0 = b1 = c0 = c1 = d0 = d1 = Vector512<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
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
                a0.StoreUnsafe(ref yr, yo); a1.StoreUnsafe(ref yr, yo + 16);
                b0.StoreUnsafe(ref yr, yo + ln); b1.StoreUnsafe(ref yr, yo + ln + 16);
                c0.StoreUnsafe(ref yr, yo + 2 * ln); c1.StoreUnsafe(ref yr, yo + 2 * ln + 16);
                d0.StoreUnsafe(ref yr, yo + 3 * ln); d1.StoreUnsafe(ref yr, yo + 3 * ln + 16);
            }
            for (; r < rows; r++)
            {
                var yo = (nuint)(yOff + r * lanes + lane);
                Vector512<float> a0, a1;
                if (bias is not null) a0 = a1 = Vector512.Create(bias[biasOff + r]);
                else if (accumulate)
                {
                    a0 = Vector512.LoadUnsafe(ref yr, yo);
                    a1 = Vector512.LoadUnsafe(ref yr, yo + 16);
                }
                else a0 = a1 = Vector512<float>.Zero;
                var wo = wOff + r * rowStride;
                var xo = (nuint)(xOff + lane);
                for (var i = 0; i < inner; i++)
                {
                    var wa = Vector512.Create(Unsafe.Add(ref wr, wo));
                    a0 = Vector512.FusedMultiplyAdd(wa, Vector512.LoadUnsafe(ref xr, xo), a0);
                    a1 = Vector512.FusedMultiplyAdd(wa, Vector512.LoadUnsafe(ref xr, xo + 16), a1);
                    wo += colStride;
                    xo += ln;
                }
                a0.StoreUnsafe(ref yr, yo);
                a1.StoreUnsafe(ref yr, yo + 16);
            }
        }
    }

    /// <summary>
    /// AVX-512 form of the 4×2-blocked weight gradient for lane counts that are multiples of 16;
    /// returns the first row it did not handle (the caller finishes the remaining rows).
    /// </summary>
    private static int AccumulateOuter512(float[] dy, int dyOff, int dyStep, int rows,
        float[] x, int xOff, int xStep, int cols, int count, int lanes,
        float[] dw, int dwOff, int dwRowStride, int dwColStride)
    {
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dy);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        var ln = (nuint)lanes;
        var r = 0;
        if (rows % 5 == 0 && cols % 5 == 0) return AccumulateOuter5x5(dy, dyOff, dyStep, rows, x, xOff, xStep, cols, count, lanes, dw, dwOff, dwRowStride, dwColStride);
        for (; r + 4 <= rows; r += 4)
        {
            var c = 0;
            // 4×4 blocks (16 accumulators of the 32 AVX-512 registers): half the L2 traffic of 4×2.
            for (; c + 4 <= cols; c += 4)
            {
                Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00,
                    a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
                var d0 = (nuint)(dyOff + r * lanes);
                var xc = (nuint)(xOff + c * lanes);
                for (var s = 0; s < count; s++)
                {
                    for (nuint l = 0; l < ln; l += 16)
                    {
                        var x0 = Vector512.LoadUnsafe(ref xr, xc + l);
                        var x1 = Vector512.LoadUnsafe(ref xr, xc + l + ln);
                        var x2 = Vector512.LoadUnsafe(ref xr, xc + l + 2 * ln);
                        var x3 = Vector512.LoadUnsafe(ref xr, xc + l + 3 * ln);
                        var y = Vector512.LoadUnsafe(ref dr, d0 + l);
                        a00 = Vector512.FusedMultiplyAdd(y, x0, a00); a01 = Vector512.FusedMultiplyAdd(y, x1, a01);
                        a02 = Vector512.FusedMultiplyAdd(y, x2, a02); a03 = Vector512.FusedMultiplyAdd(y, x3, a03);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + ln);
                        a10 = Vector512.FusedMultiplyAdd(y, x0, a10); a11 = Vector512.FusedMultiplyAdd(y, x1, a11);
                        a12 = Vector512.FusedMultiplyAdd(y, x2, a12); a13 = Vector512.FusedMultiplyAdd(y, x3, a13);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + 2 * ln);
                        a20 = Vector512.FusedMultiplyAdd(y, x0, a20); a21 = Vector512.FusedMultiplyAdd(y, x1, a21);
                        a22 = Vector512.FusedMultiplyAdd(y, x2, a22); a23 = Vector512.FusedMultiplyAdd(y, x3, a23);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + 3 * ln);
                        a30 = Vector512.FusedMultiplyAdd(y, x0, a30); a31 = Vector512.FusedMultiplyAdd(y, x1, a31);
                        a32 = Vector512.FusedMultiplyAdd(y, x2, a32); a33 = Vector512.FusedMultiplyAdd(y, x3, a33);
                    }
                    d0 += (nuint)dyStep;
                    xc += (nuint)xStep;
                }
                var o = dwOff + r * dwRowStride + c * dwColStride;
                var (rs, cs) = (dwRowStride, dwColStride);
                dw[o] += Vector512.Sum(a00); dw[o + cs] += Vector512.Sum(a01); dw[o + 2 * cs] += Vector512.Sum(a02); dw[o + 3 * cs] += Vector512.Sum(a03);
                o += rs;
                dw[o] += Vector512.Sum(a10); dw[o + cs] += Vector512.Sum(a11); dw[o + 2 * cs] += Vector512.Sum(a12); dw[o + 3 * cs] += Vector512.Sum(a13);
                o += rs;
                dw[o] += Vector512.Sum(a20); dw[o + cs] += Vector512.Sum(a21); dw[o + 2 * cs] += Vector512.Sum(a22); dw[o + 3 * cs] += Vector512.Sum(a23);
                o += rs;
                dw[o] += Vector512.Sum(a30); dw[o + cs] += Vector512.Sum(a31); dw[o + 2 * cs] += Vector512.Sum(a32); dw[o + 3 * cs] += Vector512.Sum(a33);
            }
            for (; c < cols; c += 2)
            {
                var pair = c + 1 < cols; // the last odd column pairs with itself; its second sums are dropped
                var cb = pair ? c + 1 : c;
                Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                var d0 = (nuint)(dyOff + r * lanes);
                var xa0 = (nuint)(xOff + c * lanes);
                var xb0 = (nuint)(xOff + cb * lanes);
                for (var s = 0; s < count; s++)
                {
                    for (nuint l = 0; l < ln; l += 16)
                    {
                        var xa = Vector512.LoadUnsafe(ref xr, xa0 + l);
                        var xb = Vector512.LoadUnsafe(ref xr, xb0 + l);
                        var y0 = Vector512.LoadUnsafe(ref dr, d0 + l);
                        var y1 = Vector512.LoadUnsafe(ref dr, d0 + l + ln);
                        var y2 = Vector512.LoadUnsafe(ref dr, d0 + l + 2 * ln);
                        var y3 = Vector512.LoadUnsafe(ref dr, d0 + l + 3 * ln);
                        a00 = Vector512.FusedMultiplyAdd(y0, xa, a00); a01 = Vector512.FusedMultiplyAdd(y0, xb, a01);
                        a10 = Vector512.FusedMultiplyAdd(y1, xa, a10); a11 = Vector512.FusedMultiplyAdd(y1, xb, a11);
                        a20 = Vector512.FusedMultiplyAdd(y2, xa, a20); a21 = Vector512.FusedMultiplyAdd(y2, xb, a21);
                        a30 = Vector512.FusedMultiplyAdd(y3, xa, a30); a31 = Vector512.FusedMultiplyAdd(y3, xb, a31);
                    }
                    d0 += (nuint)dyStep;
                    xa0 += (nuint)xStep;
                    xb0 += (nuint)xStep;
                }
                var o = dwOff + r * dwRowStride + c * dwColStride;
                dw[o] += Vector512.Sum(a00);
                dw[o + dwRowStride] += Vector512.Sum(a10);
                dw[o + 2 * dwRowStride] += Vector512.Sum(a20);
                dw[o + 3 * dwRowStride] += Vector512.Sum(a30);
                if (!pair) continue;
                dw[o + dwColStride] += Vector512.Sum(a01);
                dw[o + dwRowStride + dwColStride] += Vector512.Sum(a11);
                dw[o + 2 * dwRowStride + dwColStride] += Vector512.Sum(a21);
                dw[o + 3 * dwRowStride + dwColStride] += Vector512.Sum(a31);
            }
        }
        return r;
    }

    /// <summary>
    /// 5×5 blocks (25 accumulators, 5 x and 1 dy register: 31 of the 32 AVX-512 registers) for
    /// shapes divisible by 5 (20-unit recurrent layers: 80/60/20 gate rows × 20 columns): 10 loads
    /// per 25 FMAs instead of 8 per 16, a fifth less L1/L2 traffic than 4×4. Each (r, c) sum runs
    /// over steps and lanes in the same order as the 4×4 blocks, so the results are the same bits.
    /// Returns <paramref name="rows"/>.
    /// </summary>
    private static int AccumulateOuter5x5(float[] dy, int dyOff, int dyStep, int rows,
        float[] x, int xOff, int xStep, int cols, int count, int lanes,
        float[] dw, int dwOff, int dwRowStride, int dwColStride)
    {
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dy);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        var ln = (nuint)lanes;
        for (var r = 0; r < rows; r += 5)
            for (var c = 0; c < cols; c += 5)
            {
                Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a02 = a00, a03 = a00, a04 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a40 = a00, a41 = a00, a42 = a00, a43 = a00, a44 = a00;
                var d0 = (nuint)(dyOff + r * lanes);
                var xc = (nuint)(xOff + c * lanes);
                for (var s = 0; s < count; s++)
                {
                    for (nuint l = 0; l < ln; l += 16)
                    {
                        var x0 = Vector512.LoadUnsafe(ref xr, xc + l);
                        var x1 = Vector512.LoadUnsafe(ref xr, xc + l + ln);
                        var x2 = Vector512.LoadUnsafe(ref xr, xc + l + 2 * ln);
                        var x3 = Vector512.LoadUnsafe(ref xr, xc + l + 3 * ln);
                        var x4 = Vector512.LoadUnsafe(ref xr, xc + l + 4 * ln);
                        var y = Vector512.LoadUnsafe(ref dr, d0 + l);
                        a00 = Vector512.FusedMultiplyAdd(y, x0, a00); a01 = Vector512.FusedMultiplyAdd(y, x1, a01); a02 = Vector512.FusedMultiplyAdd(y, x2, a02); a03 = Vector512.FusedMultiplyAdd(y, x3, a03); a04 = Vector512.FusedMultiplyAdd(y, x4, a04);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + ln);
                        a10 = Vector512.FusedMultiplyAdd(y, x0, a10); a11 = Vector512.FusedMultiplyAdd(y, x1, a11); a12 = Vector512.FusedMultiplyAdd(y, x2, a12); a13 = Vector512.FusedMultiplyAdd(y, x3, a13); a14 = Vector512.FusedMultiplyAdd(y, x4, a14);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + 2 * ln);
                        a20 = Vector512.FusedMultiplyAdd(y, x0, a20); a21 = Vector512.FusedMultiplyAdd(y, x1, a21); a22 = Vector512.FusedMultiplyAdd(y, x2, a22); a23 = Vector512.FusedMultiplyAdd(y, x3, a23); a24 = Vector512.FusedMultiplyAdd(y, x4, a24);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + 3 * ln);
                        a30 = Vector512.FusedMultiplyAdd(y, x0, a30); a31 = Vector512.FusedMultiplyAdd(y, x1, a31); a32 = Vector512.FusedMultiplyAdd(y, x2, a32); a33 = Vector512.FusedMultiplyAdd(y, x3, a33); a34 = Vector512.FusedMultiplyAdd(y, x4, a34);
                        y = Vector512.LoadUnsafe(ref dr, d0 + l + 4 * ln);
                        a40 = Vector512.FusedMultiplyAdd(y, x0, a40); a41 = Vector512.FusedMultiplyAdd(y, x1, a41); a42 = Vector512.FusedMultiplyAdd(y, x2, a42); a43 = Vector512.FusedMultiplyAdd(y, x3, a43); a44 = Vector512.FusedMultiplyAdd(y, x4, a44);
                    }
                    d0 += (nuint)dyStep;
                    xc += (nuint)xStep;
                }
                var o = dwOff + r * dwRowStride + c * dwColStride;
                var cs = dwColStride;
                dw[o] += Vector512.Sum(a00); dw[o + cs] += Vector512.Sum(a01); dw[o + 2 * cs] += Vector512.Sum(a02); dw[o + 3 * cs] += Vector512.Sum(a03); dw[o + 4 * cs] += Vector512.Sum(a04);
                o += dwRowStride;
                dw[o] += Vector512.Sum(a10); dw[o + cs] += Vector512.Sum(a11); dw[o + 2 * cs] += Vector512.Sum(a12); dw[o + 3 * cs] += Vector512.Sum(a13); dw[o + 4 * cs] += Vector512.Sum(a14);
                o += dwRowStride;
                dw[o] += Vector512.Sum(a20); dw[o + cs] += Vector512.Sum(a21); dw[o + 2 * cs] += Vector512.Sum(a22); dw[o + 3 * cs] += Vector512.Sum(a23); dw[o + 4 * cs] += Vector512.Sum(a24);
                o += dwRowStride;
                dw[o] += Vector512.Sum(a30); dw[o + cs] += Vector512.Sum(a31); dw[o + 2 * cs] += Vector512.Sum(a32); dw[o + 3 * cs] += Vector512.Sum(a33); dw[o + 4 * cs] += Vector512.Sum(a34);
                o += dwRowStride;
                dw[o] += Vector512.Sum(a40); dw[o + cs] += Vector512.Sum(a41); dw[o + 2 * cs] += Vector512.Sum(a42); dw[o + 3 * cs] += Vector512.Sum(a43); dw[o + 4 * cs] += Vector512.Sum(a44);
            }
        return rows;
    }

    private static void OuterSingle(ref float dr, ref float xr, int dyOff, int dyStep, int xOff, int xStep, int count, int lanes, out float sum)
    {
        var vw = Vector<float>.Count;
        Vector<float> a0 = Vector<float>.Zero, a1 = a0;
        var d0 = (nuint)dyOff;
        var x0 = (nuint)xOff;
        for (var s = 0; s < count; s++)
        {
            var l = 0;
            for (; l + 2 * vw <= lanes; l += 2 * vw)
            {
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d0 + (nuint)l), Vector.LoadUnsafe(ref xr, x0 + (nuint)l), a0);
                a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d0 + (nuint)(l + vw)), Vector.LoadUnsafe(ref xr, x0 + (nuint)(l + vw)), a1);
            }
            for (; l < lanes; l += vw)
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref dr, d0 + (nuint)l), Vector.LoadUnsafe(ref xr, x0 + (nuint)l), a0);
            d0 += (nuint)dyStep;
            x0 += (nuint)xStep;
        }
        sum = Vector.Sum(a0 + a1);
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

    /// <summary>
    /// Lays out a weight matrix for the single-series path: the [gates·units, cols] matrix at
    /// w[wOff + row·rowStride + c·colStride] is written transposed to
    /// dest[destOff + c·gates·width + g·width + u], each gate's units padded to
    /// <paramref name="width"/> floats (whole vectors, so a cell reads every gate as aligned
    /// vectors). <see cref="Gemm"/> with a series' values as its weight rows and dest as its lane
    /// block then computes W·x with the rows of W in the lanes. Padding entries are never written,
    /// so they stay zero.
    /// </summary>
    public static void TransposeIntoLanes(float[] w, int wOff, int rowStride, int colStride, int rows, int cols, int units,
        float[] dest, int destOff, int width)
    {
        var gates = rows / units;
        var gateWidth = gates * width;
        for (var g = 0; g < gates; g++)
            for (var u = 0; u < units; u++)
            {
                var src = wOff + (g * units + u) * rowStride;
                var dst = destOff + g * width + u;
                for (var c = 0; c < cols; c++) dest[dst + c * gateWidth] = w[src + c * colStride];
            }
    }

    /// <summary>
    /// y[r, 0..lanes) = bias[biasOff + r] + Σ_i w[…]·x[…] (<see cref="Gemm"/> with the bias as the
    /// accumulators' start): the same sums as <see cref="FillRows"/> then an accumulating Gemm,
    /// without a separate fill pass over y (per step, the fills of a recurrent layer's gate rows
    /// were one short Span.Fill call per row).
    /// </summary>
    public static void GemmBias(float[] bias, int biasOff, float[] w, int wOff, int rowStride, int colStride, int rows, int inner,
        float[] x, int xOff, float[] y, int yOff, int lanes)
    {
        if (rows == 0) return;
        if (!Vector512.IsHardwareAccelerated || lanes % 32 != 0)
        {
            FillRows(bias, biasOff, rows, y, yOff, lanes);
            Gemm(w, wOff, rowStride, colStride, rows, inner, x, xOff, y, yOff, lanes, true);
            return;
        }
        CheckRange(bias.Length, biasOff + rows - 1);
        CheckRange(w.Length, wOff + (rows - 1) * rowStride + Math.Max(0, inner - 1) * colStride);
        CheckRange(x.Length, xOff + inner * lanes - 1);
        CheckRange(y.Length, yOff + rows * lanes - 1);
        Gemm512(w, wOff, rowStride, colStride, rows, inner, x, xOff, y, yOff, lanes, true, bias, biasOff);
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
