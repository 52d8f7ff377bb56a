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
    /// <summary>Which lane's model holds each lane's initial covariance (a spare lane borrows another's).</summary>
    private readonly int[] _initialSource = new int[Lanes];
    private readonly int[] _rows, _cols, _design, _order, _start, _runFirst, _runEnd, _runOffset, _general;
    /// <summary>One 32-byte-aligned, pinned block holding every buffer below, so that each lane vector sits in one cache line.</summary>
    private readonly AlignedBuffer _arena;
    private readonly double* _values, _selection, _sigma2;
    private readonly double* _a, _aNext, _pz, _rowFactor;
    private readonly double* _p, _pt;

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
        _runFirst = model.ShiftRunFirst;
        _runEnd = model.ShiftRunEnd;
        _runOffset = model.ShiftRunOffset;
        _general = model.GeneralRows;
        var vector = _m * Lanes;
        var matrix = _m * _m * Lanes;
        _arena = new AlignedBuffer(_rows.Length * Lanes + 5 * vector + 2 * matrix + Lanes);
        var next = _arena.Pointer;
        double* Take(int length) { var taken = next; next += length; return taken; }
        _values = Take(_rows.Length * Lanes);
        _selection = Take(vector);
        _sigma2 = Take(Lanes);
        _a = Take(vector);
        _aNext = Take(vector);
        _pz = Take(vector);
        _rowFactor = Take(vector);
        _p = Take(matrix);
        _pt = Take(matrix);
    }

    /// <summary>Loads one lane's parameters (as <see cref="SarimaStateSpace.Update"/>); false if not admissible.</summary>
    public bool Load(int lane, ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, ReadOnlySpan<double> seasonalAr,
        ReadOnlySpan<double> seasonalMa, double sigma2, double diffuseVariance)
    {
        var model = _lanes[lane];
        _initialSource[lane] = lane;
        if (!model.Update(ar, ma, seasonalAr, seasonalMa, sigma2, diffuseVariance)) return false;
        for (var e = 0; e < _rows.Length; e++) _values[e * Lanes + lane] = model.TransitionValue[e];
        for (var i = 0; i < _m; i++) _selection[i * Lanes + lane] = model.Selection[i];
        _sigma2[lane] = sigma2;
        return true;
    }

    /// <summary>Gives lane <paramref name="target"/> the parameters already loaded into lane <paramref name="source"/> (a spare lane).</summary>
    public void CopyLane(int source, int target)
    {
        for (var e = 0; e < _rows.Length; e++) _values[e * Lanes + target] = _values[e * Lanes + source];
        for (var i = 0; i < _m; i++) _selection[i * Lanes + target] = _selection[i * Lanes + source];
        _sigma2[target] = _sigma2[source];
        _initialSource[target] = _initialSource[source];
    }

    /// <summary>
    /// Log-likelihoods of y[burn..] for all lanes; <paramref name="y"/> is lane-interleaved (y[t·4 + lane]).
    /// A lane whose prediction variance collapses gets NaN. Each term can be written to the lane-interleaved
    /// <paramref name="perObservation"/> (0 for burned ones).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    /// <param name="firstLaneAsSingle">Make lane 0 reproduce <see cref="SarimaKalmanFilter"/> bit for bit. The two differ
    /// only in the first step, where this filter takes PZ' from P's columns and the single filter from its rows; from
    /// the second step on P is exactly symmetric (predictions mirror it) and the arithmetic is the same.</param>
    public void LogLikelihood(ReadOnlySpan<double> y, int burn, Span<double> results, Span<double> perObservation = default, bool firstLaneAsSingle = false)
    {
        var m = _m;
        for (var lane = 0; lane < Lanes; lane++)
        {
            var initial = _lanes[_initialSource[lane]].InitialCovariance;
            for (var k = 0; k < initial.Length; k++) _p[k * Lanes + lane] = initial[k];
        }
        new Span<double>(_a, _m * Lanes).Clear();
        var totals = Vector256<double>.Zero;
        var broken = Vector256<double>.Zero;
        var observations = y.Length / Lanes;
        var logTwoPi = Vector256.Create(LogTwoPi);
        var half = Vector256.Create(-0.5);
        double* a = _a, p0 = _p, p1 = _pt, pz = _pz, rowFactor = _rowFactor;
        fixed (double* yp = y)
        fixed (int* z = _design)
        {
            // The covariance alternates between the two buffers: Predict reads one and writes the other.
            var p = p0;
            var spare = p1;
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
                if (t == 0 && firstLaneAsSingle)
                {
                    for (var i = 0; i < m; i++)
                    {
                        var sum = 0.0;
                        for (var d = 0; d < _design.Length; d++) sum += p[(z[d] * m + i) * Lanes];
                        pz[i * Lanes] = sum;
                    }
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
                // Filtered mean; the filtered covariance P[c, x] − (PZ'[c]/F)·PZ'[x] is formed inside Predict.
                for (var i = 0; i < m; i++)
                {
                    var pzi = Vector256.Load(pz + i * Lanes);
                    Vector256.Store(Vector256.Load(a + i * Lanes) + pzi * gain, a + i * Lanes);
                    Vector256.Store(pzi * inverseF, rowFactor + i * Lanes);
                }
                Predict(a, p, spare, rowFactor, pz);
                var written = spare;
                spare = p;
                p = written;
            }
        }
        for (var lane = 0; lane < Lanes; lane++)
            results[lane] = broken[lane] != 0 || !double.IsFinite(totals[lane]) ? double.NaN : totals[lane];
    }

    /// <summary>
    /// a ← T a and, into <paramref name="pn"/>, T P̃ Tᵀ + σ² R Rᵀ for all lanes, where P̃[c, x] = P[c, x] − rowFactor[c]·pz[x]
    /// is the filtered covariance, formed where it is read. Cell (k, i ≥ k) = σ² r_k r_i + Σ_e v_e Σ_f w_f P̃[l_e, j_f]:
    /// for the runs of shift rows i the inner sum is the single cell P̃[l_e, i + δ], for the general rows it is summed
    /// entry by entry; the upper triangle is mirrored. Each cell vector is one cell of four filters, so there is no
    /// padding or tail handling; the operations per cell, and their order, are those of forming P̃ first and then
    /// multiplying by T's entries cell by cell.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Predict(double* a, double* p, double* pn, double* rowFactor, double* pz)
    {
        var m = _m;
        var rowLength = m * Lanes;
        var count = _rows.Length;
        var runs = _runFirst.Length;
        var generalCount = _general.Length;
        double* aNext = _aNext, values = _values, r = _selection, sigma2 = _sigma2;
        fixed (int* rows = _rows, cols = _cols, order = _order, start = _start)
        fixed (int* runFirst = _runFirst, runEnd = _runEnd, runOffset = _runOffset, general = _general)
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
                var output = pn + k * rowLength;
                var rk = s2 * Vector256.Load(r + k * Lanes);
                for (var i = k * Lanes; i < rowLength; i += Lanes) Vector256.Store(rk * Vector256.Load(r + i), output + i);
                for (var x = start[k]; x < start[k + 1]; x++)
                {
                    var e = order[x];
                    var value = Vector256.Load(values + e * Lanes);
                    var c = cols[e];
                    var source = p + c * rowLength;
                    var factor = Vector256.Load(rowFactor + c * Lanes);
                    // Runs of shift rows i: the inner sum is P̃[c, i + δ] itself.
                    for (var run = 0; run < runs; run++)
                    {
                        var offset = runOffset[run] * Lanes;
                        for (var i = Math.Max(runFirst[run], k) * Lanes; i < runEnd[run] * Lanes; i += Lanes)
                        {
                            var filtered = Vector256.Load(source + i + offset) - factor * Vector256.Load(pz + i + offset);
                            Vector256.Store(Vector256.Load(output + i) + value * filtered, output + i);
                        }
                    }
                    for (var g = 0; g < generalCount; g++)
                    {
                        var i = general[g];
                        if (i < k) continue;
                        var inner = Vector256<double>.Zero;
                        for (var y = start[i]; y < start[i + 1]; y++)
                        {
                            var f = order[y];
                            var column = cols[f] * Lanes;
                            inner += Vector256.Load(values + f * Lanes) * (Vector256.Load(source + column) - factor * Vector256.Load(pz + column));
                        }
                        Vector256.Store(Vector256.Load(output + i * Lanes) + value * inner, output + i * Lanes);
                    }
                }
                for (var i = k + 1; i < m; i++) Vector256.Store(Vector256.Load(output + i * Lanes), pn + (i * m + k) * Lanes);
            }
        }
    }
}
