using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Training.Statistical;

/// <summary>
/// A conditional-sum-of-squares fit of one <see cref="SarimaSpec"/>, as R's <c>arima(method = "CSS")</c> that
/// <c>auto.arima</c> uses to compare candidates on long series: the differenced series less the constant, residuals by
/// the multiplied-out ARMA recursion with the first p + sP values as given and earlier residuals as zero, and the
/// coefficients (unconstrained, as R's) that minimise ½ log(sum of squares / count) from zero ARMA terms and the
/// regression constant. Its AICc is R's approximate criterion with the Gaussian constant as offset (see
/// <see cref="Aicc"/>); it is only for ranking candidates, never a model to forecast with.
/// </summary>
internal sealed class SarimaConditionalFit
{
    private const double Penalty = 1e10;
    private const double LogTwoPiPlusOne = 2.8378770664093454836;

    private SarimaConditionalFit(SarimaSpec spec, double[] parameters, double sigma2, int effectiveObservations, string? failure)
    {
        Spec = spec;
        Parameters = parameters;
        Sigma2 = sigma2;
        EffectiveObservations = effectiveObservations;
        Failure = failure;
    }

    public SarimaSpec Spec { get; }

    /// <summary>[const][ar][ma][seasonal ar][seasonal ma] in statsmodels' order and signs, data units; σ² apart.</summary>
    public double[] Parameters { get; }

    /// <summary>The conditional residual variance, sum of squares / count (R's sigma2 for method "CSS").</summary>
    public double Sigma2 { get; }

    /// <summary>Observations after differencing, n − d − sD (R's nstar).</summary>
    public int EffectiveObservations { get; }

    /// <summary>Why R's auto.arima would not use this fit (a root near the unit circle, a singular or indefinite Hessian), or null.</summary>
    public string? Failure { get; }

    /// <summary>
    /// R's approximate criterion: offset + n* log σ² + 2k and the AICc correction, k counting σ². R's offset, −2 log L −
    /// (series length)·log σ² of the exact white-noise fit of the differenced series, is one number for every candidate,
    /// so the choice does not depend on it; n*(log 2π + 1), what it is with n* in place of the series length, makes the
    /// value the −2 log-likelihood of the conditional fit, on the same scale as the exact fits' AICc.
    /// </summary>
    public double Aicc
    {
        get
        {
            var k = Spec.ParameterCount;
            var n = EffectiveObservations;
            var aic = n * LogTwoPiPlusOne + n * Math.Log(Sigma2) + 2 * k;
            var denominator = n - k - 1;
            return denominator > 0 && double.IsFinite(aic) ? aic + 2.0 * k * (k + 1) / denominator : double.PositiveInfinity;
        }
    }

    public static SarimaConditionalFit Fit(ReadOnlySpan<double> series, SarimaSpec spec, CancellationToken cancellationToken = default)
    {
        SarimaInputValidator.ThrowIfInvalid(spec, series);
        var differenced = SeriesDifferencing.Difference(series, spec.Differences, spec.SeasonalDifferences, spec.EffectiveSeason);
        var mean = differenced.Average();
        var spread = Math.Sqrt(differenced.Sum(v => (v - mean) * (v - mean)) / differenced.Length);
        if (!(spread > 0) || !double.IsFinite(spread))
            throw new SarimaInputException(
                $"After differencing (d={spec.Differences}, D={spec.SeasonalDifferences}) the series is constant, so there is nothing left to model; use less differencing or a series that varies.");
        // Scaled so that every coefficient, the constant included, is of order one for the optimiser.
        for (var t = 0; t < differenced.Length; t++) differenced[t] /= spread;
        var residuals = new ConditionalResiduals(spec, differenced);

        var k = spec.ParameterCount - 1;
        var start = new double[k];
        if (spec.IncludeConstant) start[0] = mean / spread;
        double[] point;
        if (k == 0) point = start;
        else
        {
            double Objective(double[] x)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var value = residuals.HalfLogMeanSquare(x);
                return double.IsFinite(value) ? value : Penalty;
            }
            void Batch(IReadOnlyList<double[]> points, double[] values, bool _)
            {
                for (var j = 0; j < points.Count; j++) values[j] = Objective(points[j]);
            }
            var options = new LbfgsMinimizer.Options(GradientTolerance: 1e-7, RelativeReductionTolerance: 1e-12, MaxIterations: 200, CentralDifferences: true);
            point = new LbfgsMinimizer(Objective, Batch, k, options).Minimise(start).Point;
        }

        var halfLog = residuals.HalfLogMeanSquare(point);
        var sigma2 = Math.Exp(2 * halfLog) * spread * spread;
        var parameters = (double[])point.Clone();
        if (spec.IncludeConstant) parameters[0] *= spread;
        var failure = !double.IsFinite(halfLog) ? "The conditional sum of squares could not be evaluated."
            : AutoSarima.Rejection(spec, parameters) ?? HessianFailure(residuals, point);
        return new SarimaConditionalFit(spec, parameters, sigma2, differenced.Length, failure);
    }

    /// <summary>
    /// R's arima takes the coefficients' covariance from the inverse of the objective's numerical Hessian, and auto.arima
    /// refuses a fit where that fails or gives a negative variance (its checkarima); the signs do not depend on the
    /// parameters' scale, so the scaled objective answers the same.
    /// </summary>
    private static string? HessianFailure(ConditionalResiduals residuals, double[] point)
    {
        var k = point.Length;
        if (k == 0) return null;
        const double step = 1e-3;
        var probe = (double[])point.Clone();
        double At(int i, double di, int j, double dj)
        {
            Array.Copy(point, probe, k);
            probe[i] += di;
            probe[j] += dj;
            return residuals.HalfLogMeanSquare(probe);
        }
        var hessian = Matrix<double>.Build.Dense(k, k);
        for (var i = 0; i < k; i++)
            for (var j = i; j < k; j++)
            {
                var value = (At(i, step, j, step) - At(i, step, j, -step) - At(i, -step, j, step) + At(i, -step, j, -step)) / (4 * step * step);
                hessian[i, j] = value;
                hessian[j, i] = value;
            }
        if (!hessian.Enumerate().All(double.IsFinite)) return "Rejected: the conditional sum of squares has no finite Hessian at its minimum.";
        var svd = hessian.Svd();
        if (svd.S.Minimum() <= svd.S.Maximum() * 1e-15) return "Rejected: the conditional sum of squares has a singular Hessian at its minimum.";
        var inverse = hessian.Inverse();
        for (var i = 0; i < k; i++)
            if (!(inverse[i, i] >= 0)) return "Rejected: a coefficient's variance from the conditional sum of squares is negative.";
        return null;
    }

    /// <summary>The conditional residuals of the scaled differenced series; buffers allocated once per fit.</summary>
    private sealed class ConditionalResiduals
    {
        private readonly SarimaSpec _spec;
        private readonly double[] _w, _e, _ar, _ma;
        private readonly int[] _arLags, _maLags;
        private readonly int _condition;

        public ConditionalResiduals(SarimaSpec spec, double[] differenced)
        {
            _spec = spec;
            _w = differenced;
            _e = new double[differenced.Length];
            var season = spec.EffectiveSeason;
            _ar = new double[spec.ReducedArOrder + 1];
            _ma = new double[spec.ReducedMaOrder + 1];
            _arLags = Lags(spec.ArOrder, spec.SeasonalArOrder, season);
            _maLags = Lags(spec.MaOrder, spec.SeasonalMaOrder, season);
            _condition = spec.ReducedArOrder;
        }

        /// <summary>The lags i + sj (not both zero) where a multiplied-out polynomial can be non-zero.</summary>
        private static int[] Lags(int order, int seasonalOrder, int season) =>
            [.. (from j in Enumerable.Range(0, seasonalOrder + 1) from i in Enumerable.Range(0, order + 1) where i + j > 0 select i + season * j).Distinct().Order()];

        /// <summary>½ log(Σ e² / count) at scaled coefficients [const][ar][ma][sar][sma].</summary>
        public double HalfLogMeanSquare(ReadOnlySpan<double> x)
        {
            var offset = 0;
            var constant = _spec.IncludeConstant ? x[offset++] : 0.0;
            var ar = x.Slice(offset, _spec.ArOrder); offset += _spec.ArOrder;
            var ma = x.Slice(offset, _spec.MaOrder); offset += _spec.MaOrder;
            var seasonalAr = x.Slice(offset, _spec.SeasonalArOrder); offset += _spec.SeasonalArOrder;
            var seasonalMa = x.Slice(offset, _spec.SeasonalMaOrder);
            var season = _spec.EffectiveSeason;
            // w_t = Σ a_l w_{t−l} + e_t + Σ b_l e_{t−l}, with 1 − Σ a_l z^l = (1 − Σ φ_i z^i)(1 − Σ Φ_j z^{sj}) and
            // 1 + Σ b_l z^l = (1 + Σ θ_i z^i)(1 + Σ Θ_j z^{sj}).
            Array.Clear(_ar);
            Array.Clear(_ma);
            for (var j = 0; j <= seasonalAr.Length; j++)
                for (var i = 0; i <= ar.Length; i++)
                    if (i + j > 0) _ar[i + season * j] -= (i == 0 ? 1 : -ar[i - 1]) * (j == 0 ? 1 : -seasonalAr[j - 1]);
            for (var j = 0; j <= seasonalMa.Length; j++)
                for (var i = 0; i <= ma.Length; i++)
                    if (i + j > 0) _ma[i + season * j] += (i == 0 ? 1 : ma[i - 1]) * (j == 0 ? 1 : seasonalMa[j - 1]);

            var w = _w;
            var e = _e;
            var sum = 0.0;
            for (var t = _condition; t < w.Length; t++)
            {
                var value = w[t] - constant;
                foreach (var l in _arLags) value -= _ar[l] * (w[t - l] - constant);
                foreach (var l in _maLags)
                    if (t - l >= _condition) value -= _ma[l] * e[t - l];
                e[t] = value;
                sum += value * value;
            }
            return 0.5 * Math.Log(sum / (w.Length - _condition));
        }
    }
}
