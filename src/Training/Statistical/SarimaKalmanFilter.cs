using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
namespace Forecasting.Training.Statistical;

/// <summary>
/// Univariate Kalman filter over a <see cref="SarimaStateSpace"/> with every buffer allocated once, so a
/// likelihood evaluation inside the optimiser allocates nothing. Works on the series after the constant
/// regression has been subtracted (and, during estimation, after scaling).
/// <para>
/// One step is the measurement update followed by the prediction T P Tᵀ + σ² R Rᵀ, fused into one pass that exploits
/// T's structure (see <see cref="Predict"/>). Every covariance cell is computed with exactly the operations, in the same
/// order, as the textbook sequence "P −= PZᵀ ZP / F, then cell (k, i) = σ² r_k r_i + Σ_e v_e Σ_f w_f P[l_e, j_f]
/// over T's entries, upper triangle mirrored": the fusion and the vectorisation change the cost, not a single bit of
/// the result.
/// </para>
/// Covariance rows are stored with a stride padded to a multiple of four (padding cells stay zero), so row operations are
/// whole SIMD vectors.
/// </summary>
internal sealed unsafe class SarimaKalmanFilter
{
    private const double LogTwoPi = 1.8378770664093454836;

    private readonly SarimaStateSpace _model;
    private readonly int _m;
    /// <summary>Row stride of the covariance buffers: <see cref="_m"/> rounded up to a multiple of four.</summary>
    private readonly int _stride;
    private readonly double[] _a, _aNext;
    private readonly AlignedBuffer _pz, _rowFactor, _zeros, _inner, _selection, _scaledSelection, _forecastP;
    /// <summary>Whether the current covariance is exactly (bitwise) symmetric: true after any prediction, which mirrors it.</summary>
    private bool _symmetric;
    private AlignedBuffer _p, _pt;
    private readonly double[] _forecastA;

    public SarimaKalmanFilter(SarimaStateSpace model)
    {
        _model = model;
        _m = model.StateCount;
        _stride = (_m + 3) & ~3;
        _a = new double[_m];
        _aNext = new double[_m];
        _p = new AlignedBuffer(_m * _stride);
        _pt = new AlignedBuffer(_m * _stride);
        _pz = new AlignedBuffer(_stride);
        _rowFactor = new AlignedBuffer(_stride);
        _inner = new AlignedBuffer(_m * _stride);
        _selection = new AlignedBuffer(_stride);
        _zeros = new AlignedBuffer(_stride);
        _scaledSelection = new AlignedBuffer(_stride);
        _forecastA = new double[_m];
        _forecastP = new AlignedBuffer(_m * _stride);
    }

    /// <summary>Starts from the model's initial state (zero mean, <see cref="SarimaStateSpace.InitialCovariance"/>).</summary>
    public void Reset()
    {
        Array.Clear(_a);
        var p = _p.Span;
        p.Clear();
        for (var i = 0; i < _m; i++) _model.InitialCovariance.AsSpan(i * _m, _m).CopyTo(p.Slice(i * _stride));
        _model.Selection.CopyTo(_selection.Span);
        // The initial covariance (Lyapunov solution) need not be bitwise symmetric.
        _symmetric = false;
    }

    /// <summary>
    /// Gaussian log-likelihood of y[burn..] given the past, optionally writing each term (0 for burned ones).
    /// Returns NaN when the prediction variance collapses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LogLikelihood(ReadOnlySpan<double> y, int burn, Span<double> perObservation = default)
    {
        Reset();
        var total = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            var term = Step(y[t]);
            if (double.IsNaN(term)) return double.NaN;
            if (t >= burn) total += term;
            if (!perObservation.IsEmpty) perObservation[t] = t >= burn ? term : 0;
        }
        return total;
    }

    /// <summary>Updates with one observation and predicts the next state; returns that observation's log-likelihood term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Step(double y)
    {
        var m = _m;
        var stride = _stride;
        var design = _model.DesignIndices;
        double term;
        var p = _p.Pointer;
        var pz = _pz.Pointer;
        var rowFactor = _rowFactor.Pointer;
        fixed (double* a = _a)
        fixed (int* z = design)
        {
            var zCount = design.Length;
            // PZ', F = ZPZ', v = y − Za
            for (var i = 0; i < stride; i += 4) Vector256.Store(Vector256<double>.Zero, pz + i);
            var innovation = y;
            for (var d = 0; d < zCount; d++)
            {
                // Row j of P (P is symmetric up to rounding; the row is the contiguous choice).
                var j = z[d];
                innovation -= a[j];
                var row = p + j * stride;
                for (var i = 0; i < stride; i += 4) Vector256.Store(Vector256.Load(pz + i) + Vector256.Load(row + i), pz + i);
            }
            var f = 0.0;
            for (var d = 0; d < zCount; d++) f += pz[z[d]];
            if (!(f > 0) || !double.IsFinite(f)) return double.NaN;
            term = -0.5 * (LogTwoPi + Math.Log(f) + innovation * innovation / f);

            // Filtered mean a += PZ' v/F; the filtered covariance P[c, x] + (−PZ'[c]/F)·PZ'[x] is formed inside Predict.
            var gain = innovation / f;
            var inverseF = 1 / f;
            for (var i = 0; i < m; i++)
            {
                a[i] += pz[i] * gain;
                rowFactor[i] = -pz[i] * inverseF;
            }
        }
        Predict(_a, _p.Pointer, _pt.Pointer, _rowFactor.Pointer, _pz.Pointer, _symmetric);
        (_p, _pt) = (_pt, _p);
        _symmetric = true;
        return term;
    }

    /// <summary>
    /// a ← T a and, into <paramref name="pOut"/>, T P̃ Tᵀ + σ² R Rᵀ where P̃[c, x] = P[c, x] + rowFactor[c]·pz[x] is the
    /// filtered covariance (rowFactor = pz = 0 for a pure prediction).
    /// <para>
    /// First the inner sums W[c, i] = Σ_f w_f P̃[c, j_f] over row i's entries: for the runs of rows whose only entry
    /// is a fixed 1 at column i + δ (the differencing and companion shifts) that is just P̃[c, i + δ], a contiguous
    /// SIMD stretch; only the few general rows (AR coefficients, feedback into the first seasonal state) take the
    /// entry-by-entry sum. Then row k of the result is σ² r_k r + Σ_e v_e W[l_e, ·] over row k's entries, whole rows
    /// at a time, and the upper triangle is mirrored onto the lower one.
    /// </para>
    /// </summary>
    private void Predict(double[] aArray, double* p, double* pn, double* rowFactor, double* pz, bool symmetric)
    {
        fixed (double* a = aArray, aNext = _aNext, values = _model.TransitionValue)
        fixed (int* rows = _model.TransitionRow, cols = _model.TransitionColumn)
        {
            var m = _m;
            for (var i = 0; i < m; i++) aNext[i] = 0;
            for (var e = 0; e < _model.TransitionRow.Length; e++) aNext[rows[e]] += values[e] * a[cols[e]];
            for (var i = 0; i < m; i++) a[i] = aNext[i];
        }
        if (symmetric) PredictSymmetric(p, pn, rowFactor, pz);
        else PredictGeneral(p, pn, rowFactor, pz);
    }

    /// <summary>
    /// The covariance half of <see cref="Predict"/> for a P that is exactly symmetric (every P after the first
    /// prediction, since predictions mirror their result). Then P̃[c, x] = P[x, c] + rowFactor[c]·pz[x], so the inner
    /// sums can be built transposed, Wᵀ[i, ·] = Σ_f w_f (P[j_f, ·] + rowFactor·pz[j_f]), from whole rows of P; and row i
    /// of the result is σ² r_i r_k + Σ_e v_e Wᵀ[i, l_e] over k, where a run of shift rows k reads a contiguous stretch of
    /// Wᵀ[i, ·]. Cell (k ≤ i) comes out with the same operands in the same order as in <see cref="PredictGeneral"/>;
    /// the lower triangle is kept and mirrored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PredictSymmetric(double* p, double* pn, double* rowFactor, double* pz)
    {
        var m = _m;
        var stride = _stride;
        var runs = _model.ShiftRunFirst.Length;
        var generalCount = _model.GeneralRows.Length;
        var w = _inner.Pointer;
        var r = _selection.Pointer;
        var sr = _scaledSelection.Pointer;
        fixed (double* values = _model.TransitionValue)
        fixed (int* cols = _model.TransitionColumn, order = _model.RowEntries, start = _model.RowStart)
        fixed (int* runFirst = _model.ShiftRunFirst, runEnd = _model.ShiftRunEnd, runOffset = _model.ShiftRunOffset, general = _model.GeneralRows)
        {
            for (var run = 0; run < runs; run++)
                for (var i = runFirst[run]; i < runEnd[run]; i++)
                {
                    var x = i + runOffset[run];
                    var source = p + x * stride;
                    var target = w + i * stride;
                    var pzx = Vector256.Create(pz[x]);
                    for (var c = 0; c < stride; c += 4)
                        Vector256.Store(Vector256.Load(source + c) + Vector256.Load(rowFactor + c) * pzx, target + c);
                }
            for (var g = 0; g < generalCount; g++)
            {
                var i = general[g];
                var target = w + i * stride;
                for (var c = 0; c < stride; c += 4) Vector256.Store(Vector256<double>.Zero, target + c);
                for (var y = start[i]; y < start[i + 1]; y++)
                {
                    var f = order[y];
                    var x = cols[f];
                    var source = p + x * stride;
                    var value = Vector256.Create(values[f]);
                    var pzx = Vector256.Create(pz[x]);
                    for (var c = 0; c < stride; c += 4)
                        Vector256.Store(Vector256.Load(target + c) + value * (Vector256.Load(source + c) + Vector256.Load(rowFactor + c) * pzx), target + c);
                }
            }

            var sigma2 = Vector256.Create(_model.Sigma2);
            for (var k = 0; k < stride; k += 4) Vector256.Store(sigma2 * Vector256.Load(r + k), sr + k);
            for (var i = 0; i < m; i++)
            {
                var output = pn + i * stride;
                var inner = w + i * stride;
                var ri = Vector256.Create(r[i]);
                for (var k = 0; k < stride; k += 4) Vector256.Store(Vector256.Load(sr + k) * ri, output + k);
                for (var run = 0; run < runs; run++)
                {
                    var offset = runOffset[run];
                    var k = runFirst[run];
                    var end = runEnd[run];
                    for (; k + 4 <= end; k += 4)
                        Vector256.Store(Vector256.Load(output + k) + Vector256.Load(inner + k + offset), output + k);
                    for (; k < end; k++) output[k] += inner[k + offset];
                }
                for (var g = 0; g < generalCount; g++)
                {
                    var k = general[g];
                    var sum = output[k];
                    for (var x = start[k]; x < start[k + 1]; x++)
                    {
                        var e = order[x];
                        sum += values[e] * inner[cols[e]];
                    }
                    output[k] = sum;
                }
            }
            for (var i = 0; i < m; i++)
                for (var k = i + 1; k < m; k++) pn[i * stride + k] = pn[k * stride + i];
        }
    }

    /// <summary>The covariance half of <see cref="Predict"/> for any P, row by row (see there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PredictGeneral(double* p, double* pn, double* rowFactor, double* pz)
    {
        var m = _m;
        var stride = _stride;
        var runs = _model.ShiftRunFirst.Length;
        var generalCount = _model.GeneralRows.Length;
        var w = _inner.Pointer;
        var r = _selection.Pointer;
        fixed (double* values = _model.TransitionValue)
        fixed (int* cols = _model.TransitionColumn, order = _model.RowEntries, start = _model.RowStart)
        fixed (int* runFirst = _model.ShiftRunFirst, runEnd = _model.ShiftRunEnd, runOffset = _model.ShiftRunOffset, general = _model.GeneralRows)
        {
            for (var c = 0; c < m; c++)
            {
                var source = p + c * stride;
                var target = w + c * stride;
                var factor = rowFactor[c];
                var factors = Vector256.Create(factor);
                for (var run = 0; run < runs; run++)
                {
                    var offset = runOffset[run];
                    var i = runFirst[run];
                    var end = runEnd[run];
                    for (; i + 4 <= end; i += 4)
                        Vector256.Store(Vector256.Load(source + i + offset) + factors * Vector256.Load(pz + i + offset), target + i);
                    for (; i < end; i++) target[i] = source[i + offset] + factor * pz[i + offset];
                }
                for (var g = 0; g < generalCount; g++)
                {
                    var i = general[g];
                    var inner = 0.0;
                    for (var y = start[i]; y < start[i + 1]; y++)
                    {
                        var f = order[y];
                        var x = cols[f];
                        inner += values[f] * (source[x] + factor * pz[x]);
                    }
                    target[i] = inner;
                }
            }

            var sigma2 = _model.Sigma2;
            for (var k = 0; k < m; k++)
            {
                var output = pn + k * stride;
                var rk = Vector256.Create(sigma2 * r[k]);
                for (var i = 0; i < stride; i += 4) Vector256.Store(rk * Vector256.Load(r + i), output + i);
                for (var x = start[k]; x < start[k + 1]; x++)
                {
                    var e = order[x];
                    var factor = Vector256.Create(values[e]);
                    var inner = w + cols[e] * stride;
                    for (var i = 0; i < stride; i += 4)
                        Vector256.Store(Vector256.Load(output + i) + factor * Vector256.Load(inner + i), output + i);
                }
            }
            for (var k = 0; k < m; k++)
                for (var i = k + 1; i < m; i++) pn[i * stride + k] = pn[k * stride + i];
        }
    }

    /// <summary>
    /// Means and variances of the next <paramref name="means"/>.Length observations from the current predicted
    /// state, without disturbing the filter (so it can continue over later observations).
    /// </summary>
    public void Forecast(Span<double> means, Span<double> variances)
    {
        Array.Copy(_a, _forecastA, _m);
        _p.Span.CopyTo(_forecastP.Span);
        var design = _model.DesignIndices;
        for (var h = 0; h < means.Length; h++)
        {
            double mean = 0, variance = 0;
            foreach (var j in design)
            {
                mean += _forecastA[j];
                foreach (var k in design) variance += _forecastP.Span[j * _stride + k];
            }
            means[h] = mean;
            variances[h] = variance;
            if (h + 1 < means.Length)
            {
                Predict(_forecastA, _forecastP.Pointer, _pt.Pointer, _zeros.Pointer, _zeros.Pointer, _symmetric || h > 0);
                _pt.Span.CopyTo(_forecastP.Span);
            }
        }
    }
}
