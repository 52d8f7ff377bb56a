namespace Forecasting.Training.Statistical;

/// <summary>
/// Univariate Kalman filter over a <see cref="SarimaStateSpace"/> with every buffer allocated once, so a
/// likelihood evaluation inside the optimiser allocates nothing. Works on the series after the constant
/// regression has been subtracted (and, during estimation, after scaling).
/// </summary>
internal sealed class SarimaKalmanFilter
{
    private const double LogTwoPi = 1.8378770664093454836;

    private readonly SarimaStateSpace _model;
    private readonly int _m;
    private readonly double[] _a, _aNext, _p, _tp, _tpTransposed, _pz;
    private readonly double[] _forecastA, _forecastANext, _forecastP;
    private readonly int[] _selectionIndices;

    public SarimaKalmanFilter(SarimaStateSpace model)
    {
        _model = model;
        _m = model.StateCount;
        _a = new double[_m];
        _aNext = new double[_m];
        _p = new double[_m * _m];
        _tp = new double[_m * _m];
        _tpTransposed = new double[_m * _m];
        _pz = new double[_m];
        _forecastA = new double[_m];
        _forecastANext = new double[_m];
        _forecastP = new double[_m * _m];
        var nonzero = new List<int>();
        for (var i = 0; i < _m; i++)
            if (i >= model.DifferencingStateCount && i - model.DifferencingStateCount <= model.Spec.ReducedMaOrder) nonzero.Add(i);
        _selectionIndices = [.. nonzero];
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

    /// <summary>The one-step prediction of the next observation, before it is seen.</summary>
    public (double Mean, double Variance) Prediction()
    {
        double mean = 0, variance = 0;
        foreach (var j in _model.DesignIndices)
        {
            mean += _a[j];
            foreach (var k in _model.DesignIndices) variance += _p[j * _m + k];
        }
        return (mean, variance);
    }

    /// <summary>Updates with one observation and predicts the next state; returns that observation's log-likelihood term.</summary>
    public double Step(double y)
    {
        var m = _m;
        var design = _model.DesignIndices;
        var a = _a;
        var p = _p;
        var pz = _pz;

        // PZ', F = ZPZ', v = y − Za
        Array.Clear(pz);
        var innovation = y;
        foreach (var j in design)
        {
            innovation -= a[j];
            for (var i = 0; i < m; i++) pz[i] += p[i * m + j];
        }
        var f = 0.0;
        foreach (var j in design) f += pz[j];
        if (!(f > 0) || !double.IsFinite(f)) return double.NaN;
        var term = -0.5 * (LogTwoPi + Math.Log(f) + innovation * innovation / f);

        // Filtered: a += PZ' v/F, P −= PZ' ZP / F
        var gain = innovation / f;
        for (var i = 0; i < m; i++) a[i] += pz[i] * gain;
        for (var i = 0; i < m; i++)
        {
            var scaled = pz[i] / f;
            var row = i * m;
            for (var k = 0; k < m; k++) p[row + k] -= scaled * pz[k];
        }
        Predict(a, _aNext, p);
        return term;
    }

    /// <summary>a ← T a, P ← T P Tᵀ + σ² R Rᵀ using the sparse transition.</summary>
    private void Predict(double[] a, double[] aScratch, double[] p)
    {
        var m = _m;
        var rows = _model.TransitionRow;
        var cols = _model.TransitionColumn;
        var values = _model.TransitionValue;
        Array.Clear(aScratch);
        for (var e = 0; e < rows.Length; e++) aScratch[rows[e]] += values[e] * a[cols[e]];
        Array.Copy(aScratch, a, m);

        // TP row by row, then T (TP)ᵀ row by row (P is symmetric, so (TP)ᵀ = P Tᵀ).
        var tp = _tp;
        Array.Clear(tp);
        for (var e = 0; e < rows.Length; e++)
        {
            var v = values[e];
            if (v == 0) continue;
            var target = tp.AsSpan(rows[e] * m, m);
            var source = p.AsSpan(cols[e] * m, m);
            for (var k = 0; k < m; k++) target[k] += v * source[k];
        }
        var tpt = _tpTransposed;
        for (var i = 0; i < m; i++)
            for (var k = 0; k < m; k++)
                tpt[k * m + i] = tp[i * m + k];
        Array.Clear(p);
        for (var e = 0; e < rows.Length; e++)
        {
            var v = values[e];
            if (v == 0) continue;
            var target = p.AsSpan(rows[e] * m, m);
            var source = tpt.AsSpan(cols[e] * m, m);
            for (var k = 0; k < m; k++) target[k] += v * source[k];
        }
        var r = _model.Selection;
        var sigma2 = _model.Sigma2;
        foreach (var i in _selectionIndices)
            foreach (var k in _selectionIndices)
                p[i * m + k] += sigma2 * r[i] * r[k];
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
            if (h + 1 < means.Length) Predict(_forecastA, _forecastANext, _forecastP);
        }
    }
}
