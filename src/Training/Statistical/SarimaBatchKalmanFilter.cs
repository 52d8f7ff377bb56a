using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Four Kalman filters over the same SARIMA structure but different parameters, run in lock step with one SIMD
/// lane each (state and covariance stored lane-interleaved). Finite-difference gradients evaluate several nearby
/// parameter vectors at once, so a gradient costs little more than one likelihood.
/// </summary>
internal sealed unsafe class SarimaBatchKalmanFilter
{
    public const int Lanes = 4;
    private const double LogTwoPi = 1.8378770664093454836;

    private readonly SarimaStateSpace[] _lanes;
    private readonly int _m;
    private readonly int[] _rows, _cols, _design, _order, _start;
    private readonly double[] _values, _selection, _sigma2;
    private readonly double[] _a, _aNext, _pz;
    private double[] _p, _pt;

    public SarimaBatchKalmanFilter(SarimaSpec spec)
    {
        _lanes = new SarimaStateSpace[Lanes];
        for (var lane = 0; lane < Lanes; lane++) _lanes[lane] = new SarimaStateSpace(spec);
        var model = _lanes[0];
        _m = model.StateCount;
        _rows = model.TransitionRow;
        _cols = model.TransitionColumn;
        _design = model.DesignIndices;
        _order = model.RowEntries;
        _start = model.RowStart;
        _values = new double[_rows.Length * Lanes];
        _selection = new double[_m * Lanes];
        _sigma2 = new double[Lanes];
        _a = new double[_m * Lanes];
        _aNext = new double[_m * Lanes];
        _p = new double[_m * _m * Lanes];
        _pt = new double[_m * _m * Lanes];
        _pz = new double[_m * Lanes];
    }

    /// <summary>Loads one lane's parameters (as <see cref="SarimaStateSpace.Update"/>); false if not admissible.</summary>
    public bool Load(int lane, ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, ReadOnlySpan<double> seasonalAr,
        ReadOnlySpan<double> seasonalMa, double sigma2, double diffuseVariance)
    {
        var model = _lanes[lane];
        if (!model.Update(ar, ma, seasonalAr, seasonalMa, sigma2, diffuseVariance)) return false;
        for (var e = 0; e < _rows.Length; e++) _values[e * Lanes + lane] = model.TransitionValue[e];
        for (var i = 0; i < _m; i++) _selection[i * Lanes + lane] = model.Selection[i];
        _sigma2[lane] = sigma2;
        return true;
    }

    /// <summary>
    /// Log-likelihoods of y[burn..] for all lanes; <paramref name="y"/> is lane-interleaved (y[t·4 + lane]).
    /// A lane whose prediction variance collapses gets NaN. Each term can be written to the lane-interleaved
    /// <paramref name="perObservation"/> (0 for burned ones).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LogLikelihood(ReadOnlySpan<double> y, int burn, Span<double> results, Span<double> perObservation = default)
    {
        var m = _m;
        for (var lane = 0; lane < Lanes; lane++)
        {
            var initial = _lanes[lane].InitialCovariance;
            for (var k = 0; k < initial.Length; k++) _p[k * Lanes + lane] = initial[k];
        }
        Array.Clear(_a);
        var totals = Vector256<double>.Zero;
        var broken = Vector256<double>.Zero;
        var observations = y.Length / Lanes;
        var logTwoPi = Vector256.Create(LogTwoPi);
        var half = Vector256.Create(-0.5);
        fixed (double* a = _a, p = _p, pz = _pz, yp = y)
        fixed (int* z = _design)
        {
            for (var t = 0; t < observations; t++)
            {
                for (var i = 0; i < m; i++) Vector256.Store(Vector256<double>.Zero, pz + i * Lanes);
                var innovation = Vector256.Load(yp + t * Lanes);
                for (var d = 0; d < _design.Length; d++)
                {
                    var j = z[d];
                    innovation -= Vector256.Load(a + j * Lanes);
                    for (var i = 0; i < m; i++)
                        Vector256.Store(Vector256.Load(pz + i * Lanes) + Vector256.Load(p + (i * m + j) * Lanes), pz + i * Lanes);
                }
                var f = Vector256<double>.Zero;
                for (var d = 0; d < _design.Length; d++) f += Vector256.Load(pz + z[d] * Lanes);
                // A lane with F ≤ 0 is marked broken and continues with F = 1 so that it cannot poison the others.
                var bad = ~Vector256.GreaterThan(f, Vector256<double>.Zero);
                broken |= bad;
                f = Vector256.ConditionalSelect(bad, Vector256<double>.One, f);
                var logF = Vector256.Create(Math.Log(f[0]), Math.Log(f[1]), Math.Log(f[2]), Math.Log(f[3]));
                var term = t >= burn ? half * (logTwoPi + logF + innovation * innovation / f) : Vector256<double>.Zero;
                totals += term;
                if (!perObservation.IsEmpty) term.CopyTo(perObservation.Slice(t * Lanes, Lanes));

                var gain = innovation / f;
                var inverseF = Vector256<double>.One / f;
                for (var i = 0; i < m; i++)
                {
                    var pzi = Vector256.Load(pz + i * Lanes);
                    Vector256.Store(Vector256.Load(a + i * Lanes) + pzi * gain, a + i * Lanes);
                    var scaled = pzi * inverseF;
                    var row = p + i * m * Lanes;
                    for (var k = 0; k < m; k++)
                        Vector256.Store(Vector256.Load(row + k * Lanes) - scaled * Vector256.Load(pz + k * Lanes), row + k * Lanes);
                }
                Predict();
            }
        }
        for (var lane = 0; lane < Lanes; lane++)
            results[lane] = broken[lane] != 0 || !double.IsFinite(totals[lane]) ? double.NaN : totals[lane];
    }

    /// <summary>
    /// a ← T a, P ← T P Tᵀ + σ² R Rᵀ for all lanes, cell by cell over T's row entries (see
    /// <see cref="SarimaKalmanFilter"/>), written to a spare buffer and copied back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Predict()
    {
        var m = _m;
        var count = _rows.Length;
        fixed (double* a = _a, aNext = _aNext, p = _p, pn = _pt, values = _values, r = _selection, sigma2 = _sigma2)
        fixed (int* rows = _rows, cols = _cols, order = _order, start = _start)
        {
            for (var i = 0; i < m; i++) Vector256.Store(Vector256<double>.Zero, aNext + i * Lanes);
            for (var e = 0; e < count; e++)
            {
                var target = aNext + rows[e] * Lanes;
                Vector256.Store(Vector256.Load(target) + Vector256.Load(values + e * Lanes) * Vector256.Load(a + cols[e] * Lanes), target);
            }
            for (var i = 0; i < m * Lanes; i += Lanes) Vector256.Store(Vector256.Load(aNext + i), a + i);

            var s2 = Vector256.Load(sigma2);
            for (var k = 0; k < m; k++)
            {
                var rk = s2 * Vector256.Load(r + k * Lanes);
                for (var i = k; i < m; i++)
                {
                    var sum = rk * Vector256.Load(r + i * Lanes);
                    for (var x = start[k]; x < start[k + 1]; x++)
                    {
                        var e = order[x];
                        var row = p + cols[e] * m * Lanes;
                        var inner = Vector256<double>.Zero;
                        for (var y = start[i]; y < start[i + 1]; y++)
                        {
                            var f = order[y];
                            inner += Vector256.Load(values + f * Lanes) * Vector256.Load(row + cols[f] * Lanes);
                        }
                        sum += Vector256.Load(values + e * Lanes) * inner;
                    }
                    Vector256.Store(sum, pn + (k * m + i) * Lanes);
                    Vector256.Store(sum, pn + (i * m + k) * Lanes);
                }
            }
            Buffer.MemoryCopy(pn, p, (long)m * m * Lanes * sizeof(double), (long)m * m * Lanes * sizeof(double));
        }
    }
}
