using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
namespace Forecasting.Training.Statistical;

/// <summary>
/// Univariate Kalman filter over a <see cref="SarimaStateSpace"/> with every buffer allocated once, so a
/// likelihood evaluation inside the optimiser allocates nothing. Works on the series after the constant
/// regression has been subtracted (and, during estimation, after scaling). The covariance prediction
/// T P Tᵀ uses T's sparse entries and P's symmetry.
/// </summary>
internal sealed unsafe class SarimaKalmanFilter
{
    private const double LogTwoPi = 1.8378770664093454836;

    private readonly SarimaStateSpace _model;
    private readonly int _m;
    private readonly double[] _a, _aNext, _pz;
    private double[] _p, _pt;
    private readonly double[] _forecastA, _forecastP;

    public SarimaKalmanFilter(SarimaStateSpace model)
    {
        _model = model;
        _m = model.StateCount;
        _a = new double[_m];
        _aNext = new double[_m];
        _p = new double[_m * _m];
        _pt = new double[_m * _m];
        _pz = new double[_m];
        _forecastA = new double[_m];
        _forecastP = new double[_m * _m];
    }

    /// <summary>Starts from the model's initial state (zero mean, <see cref="SarimaStateSpace.InitialCovariance"/>).</summary>
    public void Reset()
    {
        Array.Clear(_a);
        Array.Copy(_model.InitialCovariance, _p, _p.Length);
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
        var design = _model.DesignIndices;
        double term;
        fixed (double* a = _a, p = _p, pz = _pz)
        fixed (int* z = design)
        {
            var zCount = design.Length;
            // PZ', F = ZPZ', v = y − Za
            for (var i = 0; i < m; i++) pz[i] = 0;
            var innovation = y;
            for (var d = 0; d < zCount; d++)
            {
                // P is symmetric, so column j is row j (contiguous, SIMD-friendly).
                var j = z[d];
                innovation -= a[j];
                AddScaled(pz, p + j * m, 1.0, m);
            }
            var f = 0.0;
            for (var d = 0; d < zCount; d++) f += pz[z[d]];
            if (!(f > 0) || !double.IsFinite(f)) return double.NaN;
            term = -0.5 * (LogTwoPi + Math.Log(f) + innovation * innovation / f);

            // Filtered: a += PZ' v/F, P −= PZ' ZP / F
            var gain = innovation / f;
            var inverseF = 1 / f;
            for (var i = 0; i < m; i++)
            {
                a[i] += pz[i] * gain;
                AddScaled(p + i * m, pz, -pz[i] * inverseF, m);
            }
        }
        Predict(_a, _p, _pt);
        (_p, _pt) = (_pt, _p);
        return term;
    }

    /// <summary>target[0..n) += factor · source[0..n), four lanes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(double* target, double* source, double factor, int n)
    {
        var k = 0;
        var f = Vector256.Create(factor);
        for (; k + 4 <= n; k += 4) Vector256.Store(Vector256.Load(target + k) + f * Vector256.Load(source + k), target + k);
        for (; k < n; k++) target[k] += factor * source[k];
    }

    /// <summary>
    /// a ← T a, P ← T P Tᵀ + σ² R Rᵀ. Each upper-triangle cell (k, i) is Σ v·w·P[l, j] over T's entries (k, l, v) and
    /// (i, j, w); T has one or two entries per row, so this touches each cell about twice and needs no product buffer.
    /// The result goes to <paramref name="pOut"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Predict(double[] aArray, double[] pIn, double[] pOut)
    {
        var m = _m;
        var count = _model.TransitionRow.Length;
        fixed (double* a = aArray, aNext = _aNext, p = pIn, pn = pOut, values = _model.TransitionValue, r = _model.Selection)
        fixed (int* rows = _model.TransitionRow, cols = _model.TransitionColumn, order = _model.RowEntries, start = _model.RowStart)
        {
            for (var i = 0; i < m; i++) aNext[i] = 0;
            for (var e = 0; e < count; e++) aNext[rows[e]] += values[e] * a[cols[e]];
            for (var i = 0; i < m; i++) a[i] = aNext[i];

            var sigma2 = _model.Sigma2;
            for (var k = 0; k < m; k++)
            {
                var kFirst = start[k];
                var kLast = start[k + 1];
                var rk = sigma2 * r[k];
                for (var i = k; i < m; i++)
                {
                    var sum = rk * r[i];
                    for (var x = kFirst; x < kLast; x++)
                    {
                        var e = order[x];
                        var row = p + cols[e] * m;
                        var inner = 0.0;
                        for (var y = start[i]; y < start[i + 1]; y++)
                        {
                            var f = order[y];
                            inner += values[f] * row[cols[f]];
                        }
                        sum += values[e] * inner;
                    }
                    pn[k * m + i] = sum;
                    pn[i * m + k] = sum;
                }
            }
        }
    }

    /// <summary>
    /// Means and variances of the next <paramref name="means"/>.Length observations from the current predicted
    /// state, without disturbing the filter (so it can continue over later observations).
    /// </summary>
    public void Forecast(Span<double> means, Span<double> variances)
    {
        Array.Copy(_a, _forecastA, _m);
        Array.Copy(_p, _forecastP, _p.Length);
        var design = _model.DesignIndices;
        for (var h = 0; h < means.Length; h++)
        {
            double mean = 0, variance = 0;
            foreach (var j in design)
            {
                mean += _forecastA[j];
                foreach (var k in design) variance += _forecastP[j * _m + k];
            }
            means[h] = mean;
            variances[h] = variance;
            if (h + 1 < means.Length)
            {
                Predict(_forecastA, _forecastP, _pt);
                Array.Copy(_pt, _forecastP, _forecastP.Length);
            }
        }
    }
}
