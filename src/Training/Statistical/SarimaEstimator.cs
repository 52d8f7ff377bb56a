using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Training.Statistical;

/// <summary>
/// Maximum-likelihood estimation of SARIMA models the way statsmodels' <c>ARIMA(...).fit()</c> does it:
/// exact Gaussian likelihood from the Kalman filter (<see cref="SarimaKalmanFilter"/>), σ² estimated as a
/// parameter (not concentrated out), AR/MA constrained to stationarity/invertibility by the Monahan/Jones
/// transform, L-BFGS on the transformed parameters from statsmodels' starting values (see <see cref="SarimaEstimation"/>), and
/// standard errors from the outer product of per-observation score vectors (statsmodels' default
/// <c>cov_type="opg"</c>).
/// </summary>
public static class SarimaEstimator
{
    private const double Penalty = 1e10;

    public static SarimaFit Fit(ReadOnlySpan<double> series, SarimaSpec spec, CancellationToken cancellationToken = default) =>
        Fit(series, spec, SarimaEstimation.StatsmodelsDefault, cancellationToken);

    public static SarimaFit Fit(ReadOnlySpan<double> series, SarimaSpec spec, SarimaEstimation estimation, CancellationToken cancellationToken = default) =>
        Fit(series, spec, null, estimation, cancellationToken);

    /// <summary>
    /// Regression with SARIMA errors, as statsmodels' <c>ARIMA(series, exog=X, ...).fit()</c>: the coefficients of
    /// <paramref name="regressors"/> (columns, each with at least one value per observation; <see cref="SarimaSpec.Regressors"/>
    /// of them) are estimated jointly with the ARMA parameters by exact maximum likelihood, starting from the least-squares
    /// fit of the differenced series on the differenced regressors.
    /// </summary>
    public static SarimaFit Fit(ReadOnlySpan<double> series, SarimaSpec spec, IReadOnlyList<double[]>? regressors,
        SarimaEstimation estimation = SarimaEstimation.StatsmodelsDefault, CancellationToken cancellationToken = default)
    {
        SarimaInputValidator.ThrowIfInvalid(spec, series);
        SarimaInputValidator.ThrowIfInvalid(spec, regressors, series.Length);
        var differenced = SeriesDifferencing.Difference(series, spec.Differences, spec.SeasonalDifferences, spec.EffectiveSeason);
        var scale = StandardDeviation(differenced);
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new SarimaInputException(
                $"After differencing (d={spec.Differences}, D={spec.SeasonalDifferences}) the series is constant, so there is nothing left to model; use less differencing or a series that varies.");

        var likelihood = new SarimaLikelihood(spec, series, scale, regressors);
        var scaledDifferenced = differenced.Select(v => v / scale).ToArray();
        var length = series.Length;
        var differencedRegressors = regressors?.Select(x => SeriesDifferencing.Difference(x.AsSpan(0, length), spec.Differences, spec.SeasonalDifferences, spec.EffectiveSeason)).ToArray();
        var start = SarimaStartingValues.Compute(spec, scaledDifferenced, differencedRegressors);
        if (!double.IsFinite(likelihood.Evaluate(start)))
        {
            // Starting values on the edge of the admissible region: start from white noise (around the regression) instead.
            var sigma2 = start[^1];
            if (spec.Regressors > 0) start.AsSpan(spec.RegressionTerms).Clear();
            else
            {
                Array.Clear(start);
                if (spec.IncludeConstant) start[0] = scaledDifferenced.Average();
            }
            start[^1] = sigma2;
        }
        var k = spec.ParameterCount;
        var scaledUnconstrained = new double[k];
        likelihood.Unconstrain(start, scaledUnconstrained);

        var effective = likelihood.EffectiveObservations;
        // The optimiser's coordinates: statsmodels' (data units) or ours (scaled); these factors map them to scaled ones.
        var coordinateFactors = new double[k];
        Array.Fill(coordinateFactors, 1.0);
        if (estimation == SarimaEstimation.StatsmodelsDefault)
        {
            for (var i = 0; i < spec.RegressionTerms; i++) coordinateFactors[i] = scale;
            coordinateFactors[^1] = scale;
        }
        var logScale = Math.Log(scale);
        var mapped = new double[k];
        double Objective(double[] u)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < k; i++) mapped[i] = u[i] / coordinateFactors[i];
            var value = estimation == SarimaEstimation.StatsmodelsDefault
                ? -(likelihood.EvaluateUnconstrained(mapped) - effective * logScale) / likelihood.ObservationCount
                : -likelihood.EvaluateUnconstrained(mapped) / effective;
            return double.IsFinite(value) ? value : Penalty;
        }

        var mappedBatch = new double[2 * k + 1][];
        for (var i = 0; i < mappedBatch.Length; i++) mappedBatch[i] = new double[k];
        var batchValues = new double[2 * k + 1];
        void BatchObjective(IReadOnlyList<double[]> points, double[] values, bool firstAsSingle)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var j = 0; j < points.Count; j++)
                for (var i = 0; i < k; i++) mappedBatch[j][i] = points[j][i] / coordinateFactors[i];
            likelihood.EvaluateUnconstrainedBatch(new ArraySegment<double[]>(mappedBatch, 0, points.Count), batchValues, firstAsSingle);
            for (var j = 0; j < points.Count; j++)
            {
                var value = estimation == SarimaEstimation.StatsmodelsDefault
                    ? -(batchValues[j] - effective * logScale) / likelihood.ObservationCount
                    : -batchValues[j] / effective;
                values[j] = double.IsFinite(value) ? value : Penalty;
            }
        }

        var options = estimation == SarimaEstimation.StatsmodelsDefault
            ? new LbfgsMinimizer.Options(GradientTolerance: 1e-5, RelativeReductionTolerance: 1e7 * 2.220446049250313e-16, MaxIterations: 50, CentralDifferences: false)
            : new LbfgsMinimizer.Options(GradientTolerance: 1e-8, RelativeReductionTolerance: 1e-15, MaxIterations: 500, CentralDifferences: true);
        var initial = new double[k];
        for (var i = 0; i < k; i++) initial[i] = scaledUnconstrained[i] * coordinateFactors[i];
        // A trial point rides in the same SIMD batch as its gradient probes when that needs no extra group of lanes.
        var probes = options.CentralDifferences ? 2 * k : k;
        var valueWithGradient = probes % SarimaBatchKalmanFilter.Lanes != 0;
        var result = new LbfgsMinimizer(Objective, BatchObjective, k, options, valueWithGradient).Minimise(initial);
        if (result.Value >= Penalty)
            throw new SarimaInputException($"Estimating {spec} did not converge: the likelihood could not be evaluated; try smaller orders or less differencing.");

        var best = new double[k];
        for (var i = 0; i < k; i++) best[i] = result.Point[i] / coordinateFactors[i];
        var scaledParameters = new double[k];
        likelihood.Constrain(best, scaledParameters);
        var logLikelihood = likelihood.Evaluate(scaledParameters) - effective * logScale;
        if (!double.IsFinite(logLikelihood))
            throw new SarimaInputException($"Estimating {spec} did not converge to usable parameters; try smaller orders or less differencing.");
        var unitFactors = UnitFactors(spec, scale);
        var parameters = new double[k];
        for (var i = 0; i < k; i++) parameters[i] = scaledParameters[i] * unitFactors[i];
        // Standard errors cost a few more filter passes; most callers (backtests, order search) never read them.
        var standardErrors = new Lazy<double[]>(() =>
        {
            var errors = OuterProductStandardErrors(likelihood, scaledParameters);
            for (var i = 0; i < k; i++) errors[i] *= unitFactors[i];
            return errors;
        });
        return new SarimaFit(spec, parameters, standardErrors, logLikelihood, series.Length, effective, scale, result.Iterations, result.Converged);
    }

    /// <summary>
    /// The model at given <paramref name="parameters"/> (data units, statsmodels' order) without estimating anything: its
    /// log-likelihood, standard errors and forecasts there, as statsmodels' <c>model.smooth(params)</c> gives them. Lets
    /// the likelihood, filter and forecasts be checked against statsmodels apart from where each optimiser stops.
    /// </summary>
    internal static SarimaFit AtParameters(ReadOnlySpan<double> series, SarimaSpec spec, IReadOnlyList<double[]>? regressors, IReadOnlyList<double> parameters)
    {
        SarimaInputValidator.ThrowIfInvalid(spec, series);
        SarimaInputValidator.ThrowIfInvalid(spec, regressors, series.Length);
        var scale = StandardDeviation(SeriesDifferencing.Difference(series, spec.Differences, spec.SeasonalDifferences, spec.EffectiveSeason));
        var likelihood = new SarimaLikelihood(spec, series, scale, regressors);
        var unitFactors = UnitFactors(spec, scale);
        var scaledParameters = parameters.Select((p, i) => p / unitFactors[i]).ToArray();
        var logLikelihood = likelihood.Evaluate(scaledParameters) - likelihood.EffectiveObservations * Math.Log(scale);
        var errors = OuterProductStandardErrors(likelihood, scaledParameters);
        for (var i = 0; i < errors.Length; i++) errors[i] *= unitFactors[i];
        return new SarimaFit(spec, [.. parameters], new Lazy<double[]>(errors), logLikelihood, series.Length, likelihood.EffectiveObservations, scale, 0, true);
    }

    /// <summary>Multiplies each scaled parameter back to data units: the constant and regression coefficients by the scale, σ² by its square.</summary>
    internal static double[] UnitFactors(SarimaSpec spec, double scale)
    {
        var factors = Enumerable.Repeat(1.0, spec.ParameterCount).ToArray();
        for (var i = 0; i < spec.RegressionTerms; i++) factors[i] = scale;
        factors[^1] = scale * scale;
        return factors;
    }

    /// <summary>
    /// Standard errors from the inverse outer product of per-observation scores (statsmodels' <c>cov_type="opg"</c>),
    /// scores by central differences in the constrained parameters. NaN where the matrix is singular.
    /// </summary>
    private static double[] OuterProductStandardErrors(SarimaLikelihood likelihood, double[] parameters)
    {
        var k = parameters.Length;
        var n = likelihood.ObservationCount;
        // Points: the estimate, then +h and −h along each parameter; all evaluated in SIMD batches.
        var points = new double[2 * k + 1][];
        var steps = new double[k];
        points[0] = (double[])parameters.Clone();
        for (var i = 0; i < k; i++)
        {
            steps[i] = 1e-6 * Math.Max(1, Math.Abs(parameters[i]));
            points[1 + i] = (double[])parameters.Clone();
            points[1 + i][i] += steps[i];
            points[1 + k + i] = (double[])parameters.Clone();
            points[1 + k + i][i] -= steps[i];
        }
        var values = new double[points.Length];
        var terms = new double[points.Length][];
        for (var i = 0; i < terms.Length; i++) terms[i] = new double[n];
        likelihood.EvaluateBatch(points, values, terms);
        var centre = terms[0];
        var scores = new double[k][];
        for (var i = 0; i < k; i++)
        {
            var up = terms[1 + i];
            var down = terms[1 + k + i];
            var upOk = double.IsFinite(values[1 + i]);
            var downOk = double.IsFinite(values[1 + k + i]);
            var h = steps[i];
            scores[i] = new double[n];
            for (var t = 0; t < n; t++)
                scores[i][t] = upOk && downOk ? (up[t] - down[t]) / (2 * h)
                    : upOk ? (up[t] - centre[t]) / h
                    : downOk ? (centre[t] - down[t]) / h
                    : double.NaN;
        }
        var opg = Matrix<double>.Build.Dense(k, k, (i, j) =>
        {
            var sum = 0.0;
            for (var t = 0; t < n; t++) sum += scores[i][t] * scores[j][t];
            return sum;
        });
        var errors = new double[k];
        Array.Fill(errors, double.NaN);
        if (!opg.Enumerate().All(double.IsFinite)) return errors;
        var svd = opg.Svd();
        if (svd.S.Minimum() <= svd.S.Maximum() * 1e-14) return errors;
        var covariance = opg.Inverse();
        for (var i = 0; i < k; i++) errors[i] = covariance[i, i] > 0 ? Math.Sqrt(covariance[i, i]) : double.NaN;
        return errors;
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2) return 0;
        var mean = values.Average();
        var sum = 0.0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / values.Length);
    }
}
