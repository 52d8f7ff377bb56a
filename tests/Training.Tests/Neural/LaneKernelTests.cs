using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Tests.Neural;

/// <summary>The SIMD kernels (every blocking path: 8/16/32/64 lanes, odd rows and columns) against plain loops.</summary>
public class LaneKernelTests
{
    private static float[] Random(int n, Random rng) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(96)]
    public void Gemm_matches_plain_loops(int lanes)
    {
        var rng = new Random(lanes);
        foreach (var (rows, inner) in new[] { (1, 1), (3, 5), (4, 20), (7, 3), (9, 2), (80, 20) })
            foreach (var transposed in new[] { false, true })
                foreach (var accumulate in new[] { false, true })
                {
                    var w = Random(rows * inner, rng);
                    var x = Random(inner * lanes + 5, rng);
                    var y = Random(rows * lanes + 3, rng);
                    var expected = (float[])y.Clone();
                    // transposed: w is stored [inner, rows] and read as its transpose.
                    var (rowStride, colStride) = transposed ? (1, rows) : (inner, 1);
                    for (var r = 0; r < rows; r++)
                        for (var l = 0; l < lanes; l++)
                        {
                            double s = accumulate ? y[3 + r * lanes + l] : 0;
                            for (var i = 0; i < inner; i++) s += (double)w[r * rowStride + i * colStride] * x[5 + i * lanes + l];
                            expected[3 + r * lanes + l] = (float)s;
                        }
                    LaneKernels.Gemm(w, 0, rowStride, colStride, rows, inner, x, 5, y, 3, lanes, accumulate);
                    for (var k = 0; k < y.Length; k++) Assert.True(Math.Abs(expected[k] - y[k]) < 1e-4, $"rows {rows} inner {inner} lanes {lanes}: [{k}] {y[k]} vs {expected[k]}");
                }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(48)]
    public void AccumulateOuter_and_row_sums_match_plain_loops(int lanes)
    {
        var rng = new Random(lanes);
        foreach (var (rows, cols, count) in new[] { (1, 1, 1), (4, 2, 3), (5, 3, 4), (8, 5, 2), (9, 1, 3), (12, 7, 5) })
        {
            var dyStep = rows * lanes + 2 * lanes;
            var xStep = cols * lanes + lanes;
            var dy = Random(count * dyStep, rng);
            var x = Random(count * xStep, rng);
            // dw laid out [cols, rows] with an offset, to exercise both strides.
            var dw = Random(rows * cols + 4, rng);
            var expected = (float[])dw.Clone();
            var sums = new float[rows];
            var expectedSums = new double[rows];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                {
                    double s = 0;
                    for (var t = 0; t < count; t++)
                        for (var l = 0; l < lanes; l++) s += (double)dy[t * dyStep + r * lanes + l] * x[t * xStep + c * lanes + l];
                    expected[4 + c * rows + r] += (float)s;
                }
            for (var r = 0; r < rows; r++)
                for (var t = 0; t < count; t++)
                    for (var l = 0; l < lanes; l++) expectedSums[r] += dy[t * dyStep + r * lanes + l];
            LaneKernels.AccumulateOuter(dy, 0, dyStep, rows, x, 0, xStep, cols, count, lanes, dw, 4, 1, rows);
            LaneKernels.AccumulateRowSums(dy, 0, dyStep, rows, count, lanes, sums);
            for (var k = 0; k < dw.Length; k++) Assert.True(Math.Abs(expected[k] - dw[k]) < 1e-3, $"{rows}x{cols}x{count} lanes {lanes}: [{k}] {dw[k]} vs {expected[k]}");
            for (var r = 0; r < rows; r++) Assert.True(Math.Abs(expectedSums[r] - sums[r]) < 1e-3);
        }
    }

    /// <summary>
    /// The fused convolution kernel (bias, every tap, ReLU in registers) against bias fill + one
    /// <see cref="LaneKernels.Gemm"/> per (step, tap) + ReLU: the same sums in the same order, so
    /// bitwise equal — on 32/64 lanes this exercises the AVX-512 form, on 8/16 the portable one.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void ConvSteps_matches_per_tap_gemm_bitwise(int lanes)
    {
        var rng = new Random(lanes);
        foreach (var (rows, inner) in new[] { (1, 1), (2, 3), (5, 1), (10, 20), (20, 20), (7, 4) })
            foreach (var (shifts, tStride) in new[] { (new[] { -1, 0 }, 1), (new[] { -8, 0 }, 1), (new[] { 0 }, 1), (new[] { 0, 1, 2, 3 }, 2), (new[] { 3, 2 }, 1) })
                foreach (var transposed in new[] { false, true })
                    foreach (var (bias, relu) in new[] { (true, true), (false, false), (true, false) })
                    {
                        const int xSteps = 9, ySteps = 7, yPad = 3;
                        var taps = shifts.Length;
                        var w = Random(taps * rows * inner, rng);
                        // [rows, inner, taps] as Conv1D stores it, or its transpose [inner, rows, taps].
                        var (rowStride, colStride) = transposed ? (taps, rows * taps) : (inner * taps, taps);
                        var tapW = Enumerable.Range(0, taps).ToArray();
                        var x = Random(xSteps * inner * lanes, rng);
                        var b = bias ? Random(rows, rng) : null;
                        var yStep = rows * lanes + yPad;
                        var expected = Random(ySteps * yStep, rng);
                        var y = (float[])expected.Clone();
                        for (var t = 0; t < ySteps; t++)
                        {
                            var yo = t * yStep;
                            if (b is not null) LaneKernels.FillRows(b, 0, rows, expected, yo, lanes);
                            else Array.Clear(expected, yo, rows * lanes);
                            for (var k = 0; k < taps; k++)
                            {
                                var s = t * tStride + shifts[k];
                                if (s < 0 || s >= xSteps) continue;
                                LaneKernels.Gemm(w, tapW[k], rowStride, colStride, rows, inner, x, s * inner * lanes, expected, yo, lanes, true);
                            }
                            if (relu) for (var k = yo; k < yo + rows * lanes; k++) expected[k] = Math.Max(expected[k], 0f);
                        }
                        ConvKernels.ConvSteps(w, tapW, shifts, tStride, rowStride, colStride, rows, inner, x, xSteps, inner * lanes, y, ySteps, yStep, lanes, b, relu);
                        for (var k = 0; k < y.Length; k++)
                            Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(y[k]) || (expected[k] == 0 && y[k] == 0),
                                $"rows {rows} inner {inner} lanes {lanes} shifts [{string.Join(",", shifts)}]: [{k}] {y[k]} vs {expected[k]}");
                    }
    }

    /// <summary>The 32-lane weight-gradient kernel against plain loops, and bitwise against the plain kernel where it uses the same blocks.</summary>
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void AccumulateOuterLanes32_matches_plain_kernel(int lanes)
    {
        var rng = new Random(lanes);
        foreach (var (rows, cols, count) in new[] { (20, 20, 50), (20, 20, 9), (8, 12, 17), (10, 20, 49), (6, 7, 13), (20, 1, 50), (3, 8, 20), (4, 4, 8) })
        {
            var dyStep = rows * lanes + lanes;
            var xStep = cols * lanes + 2 * lanes;
            var dy = Random(count * dyStep, rng);
            var x = Random(count * xStep, rng);
            // dw laid out [rows, cols, 2] at an offset, as a two-tap Conv1D kernel.
            var dw = Random(rows * cols * 2 + 3, rng);
            var plain = (float[])dw.Clone();
            var expected = (float[])dw.Clone();
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                {
                    double sum = 0;
                    for (var s = 0; s < count; s++)
                        for (var l = 0; l < lanes; l++) sum += (double)dy[s * dyStep + r * lanes + l] * x[s * xStep + c * lanes + l];
                    expected[3 + r * cols * 2 + c * 2] += (float)sum;
                }
            ConvKernels.AccumulateOuterLanes32(dy, 0, dyStep, rows, x, 0, xStep, cols, count, lanes, dw, 3, cols * 2, 2);
            LaneKernels.AccumulateOuter(dy, 0, dyStep, rows, x, 0, xStep, cols, count, lanes, plain, 3, cols * 2, 2);
            for (var k = 0; k < dw.Length; k++) Assert.True(Math.Abs(expected[k] - dw[k]) < 1e-3, $"{rows}x{cols}x{count} lanes {lanes}: [{k}] {dw[k]} vs {expected[k]}");
            if (rows % 4 == 0 && cols % 4 == 0)
                for (var k = 0; k < dw.Length; k++) Assert.Equal(plain[k], dw[k]);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(48)]
    public void ReluBackwardRowSums_matches_mask_and_row_sums(int lanes)
    {
        var rng = new Random(lanes);
        const int steps = 7, rows = 5;
        var n = steps * rows * lanes;
        var y = Random(n, rng).Select(v => v < -0.3f ? 0f : v).ToArray();
        var g = Random(n, rng);
        var dz = new float[n];
        var db = Random(rows, rng);
        var expectedDb = db.Select(v => (double)v).ToArray();
        ConvKernels.ReluBackwardRowSums(y, g, dz, steps, rows, lanes, db);
        for (var k = 0; k < n; k++)
        {
            var e = y[k] > 0 ? g[k] : 0f;
            Assert.Equal(e, dz[k]);
            expectedDb[k / lanes % rows] += e;
        }
        for (var r = 0; r < rows; r++) Assert.True(Math.Abs(expectedDb[r] - db[r]) < 1e-4, $"row {r}: {db[r]} vs {expectedDb[r]}");
        // Bias gradients bitwise as the separate row-sum kernel computes them (training trajectories unchanged).
        var plainDb = new float[rows];
        var fusedDb = new float[rows];
        ConvKernels.ReluBackwardRowSums(y, g, dz, steps, rows, lanes, fusedDb);
        LaneKernels.AccumulateRowSums(dz, 0, rows * lanes, rows, steps, lanes, plainDb);
        Assert.Equal(plainDb, fusedDb);
    }
}
