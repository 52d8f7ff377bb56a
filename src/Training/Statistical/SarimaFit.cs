using System.Text.Json;

namespace Forecasting.Training.Statistical;

/// <summary>
/// A fitted SARIMA model: estimates, their OPG standard errors, likelihood and information criteria
/// (statsmodels' conventions: k counts σ² and the constant; n is the observations after the burned
/// diffuse ones), and forecasting from any history with these fixed parameters.
/// </summary>
public sealed class SarimaFit
{
    internal SarimaFit(SarimaSpec spec, double[] parameters, Lazy<double[]> standardErrors, double logLikelihood,
        int observationCount, int effectiveObservations, double scale, int iterations, bool converged)
    {
        Spec = spec;
        _parameters = parameters;
        _standardErrors = standardErrors;
        LogLikelihood = logLikelihood;
        ObservationCount = observationCount;
        EffectiveObservations = effectiveObservations;
        Scale = scale;
        Iterations = iterations;
        Converged = converged;
    }

    private readonly double[] _parameters;
    private readonly Lazy<double[]> _standardErrors;

    public SarimaSpec Spec { get; }

    /// <summary>Estimates in statsmodels' order: [const][x1..xk][ar][ma][seasonal ar][seasonal ma][sigma2].</summary>
    public IReadOnlyList<double> Parameters => _parameters;

    public IReadOnlyList<string> ParameterNames => Spec.ParameterNames;

    /// <summary>
    /// Outer-product-of-gradients standard errors (statsmodels' default); NaN where not identifiable.
    /// Computed on first use.
    /// </summary>
    public IReadOnlyList<double> StandardErrors => _standardErrors.Value;

    public double Sigma2 => _parameters[^1];

    public double LogLikelihood { get; }

    public int ObservationCount { get; }

    /// <summary>Observations whose likelihood terms count (all but the d + sD diffuse ones).</summary>
    public int EffectiveObservations { get; }

    /// <summary>The data scale the estimation worked in; kept so that refiltering reproduces the fit's arithmetic.</summary>
    public double Scale { get; }

    public int Iterations { get; }

    /// <summary>False when the optimiser stopped on its iteration limit or could not find a better point along its search direction.</summary>
    public bool Converged { get; }

    public double Aic => -2 * LogLikelihood + 2 * Spec.ParameterCount;

    public double Bic => -2 * LogLikelihood + Spec.ParameterCount * Math.Log(EffectiveObservations);

    public double Aicc
    {
        get
        {
            var k = Spec.ParameterCount;
            var denominator = EffectiveObservations - k - 1;
            return denominator > 0 ? Aic + 2.0 * k * (k + 1) / denominator : double.PositiveInfinity;
        }
    }

    /// <summary>Forecasts of the <paramref name="horizon"/> values after <paramref name="history"/>.</summary>
    public SarimaForecast Forecast(ReadOnlySpan<double> history, int horizon) => Forecast(history, null, horizon);

    /// <summary>
    /// Forecasts of the <paramref name="horizon"/> values after <paramref name="history"/>, with the regressors' values
    /// (columns) for the history and the <paramref name="horizon"/> steps after it.
    /// </summary>
    public SarimaForecast Forecast(ReadOnlySpan<double> history, IReadOnlyList<double[]>? regressors, int horizon)
    {
        if (regressors is not null)
            foreach (var x in regressors)
                if (x.Length < history.Length + horizon)
                    throw new SarimaInputException($"The regressors have {x.Length} values; {history.Length + horizon} are needed (the history and every forecast step).");
        var origins = ForecastAtOrigins(history, regressors, [history.Length], horizon);
        return new SarimaForecast(origins.Means[0], origins.Variances[0]);
    }

    /// <summary>
    /// Filters <paramref name="series"/> once with these parameters and, at each origin o (1 ≤ o ≤ length), forecasts
    /// series[o..o+horizon) from series[0..o) — validation metrics without refitting.
    /// </summary>
    public SarimaOriginForecasts ForecastAtOrigins(ReadOnlySpan<double> series, IReadOnlyList<int> origins, int horizon) =>
        ForecastAtOrigins(series, null, origins, horizon);

    /// <summary>
    /// <see cref="ForecastAtOrigins(ReadOnlySpan{double}, IReadOnlyList{int}, int)"/> with regressors (columns with a
    /// value for every observation; values past the series are the future's). A step past the regressors' values has a
    /// NaN mean: there is nothing to forecast it with.
    /// </summary>
    public SarimaOriginForecasts ForecastAtOrigins(ReadOnlySpan<double> series, IReadOnlyList<double[]>? regressors, IReadOnlyList<int> origins, int horizon)
    {
        SarimaInputValidator.ThrowIfInvalid(Spec, regressors, series.Length);
        if (horizon < 1) throw new SarimaInputException($"The forecast horizon is {horizon}; ask for at least one step.");
        if (series.Length < 1) throw new SarimaInputException("The history is empty; give at least one observation to forecast from.");
        for (var t = 0; t < series.Length; t++)
            if (!double.IsFinite(series[t]))
                throw new SarimaInputException($"The history has a missing or non-finite value at position {t}; fill or remove missing values before forecasting.");
        foreach (var origin in origins)
            if (origin < 1 || origin > series.Length)
                throw new SarimaInputException($"Forecast origin {origin} is outside the series; origins must lie between 1 and {series.Length}.");

        var stateSpace = new SarimaStateSpace(Spec);
        var filter = new SarimaKalmanFilter(stateSpace);
        var factors = SarimaEstimator.UnitFactors(Spec, Scale);
        var scaled = new double[_parameters.Length];
        for (var i = 0; i < scaled.Length; i++) scaled[i] = _parameters[i] / factors[i];
        var (mean, betas, ar, ma, seasonalAr, seasonalMa, sigma2) = Split(scaled);
        if (!stateSpace.Update(ar, ma, seasonalAr, seasonalMa, sigma2, SarimaStateSpace.ApproximateDiffuseVariance / (Scale * Scale)))
            throw new SarimaInputException($"The parameters of {Spec} are not stationary; refit the model.");

        var regressor = Spec.IncludeConstant
            ? SeriesDifferencing.ConstantRegressor(series.Length + horizon, Spec.Differences, Spec.SeasonalDifferences, Spec.EffectiveSeason)
            : null;
        var order = Enumerable.Range(0, origins.Count).OrderBy(i => origins[i]).ToArray();
        var means = new double[origins.Count][];
        var variances = new double[origins.Count][];
        var next = 0;
        filter.Reset();
        for (var t = 0; t <= series.Length && next < order.Length; t++)
        {
            while (next < order.Length && origins[order[next]] == t)
            {
                var index = order[next++];
                var m = new double[horizon];
                var v = new double[horizon];
                filter.Forecast(m, v);
                for (var h = 0; h < horizon; h++)
                {
                    var known = Regression(betas, regressors, t + h, out var regression);
                    m[h] = known ? (m[h] + mean * (regressor?[t + h] ?? 0) + regression) * Scale : double.NaN;
                    v[h] *= Scale * Scale;
                    if (known && !double.IsFinite(m[h]) || !double.IsFinite(v[h]))
                        throw new SarimaInputException($"{Spec} produced a non-finite forecast from origin {t}; the series may be too extreme for this model — try rescaling it or choosing smaller orders.");
                }
                means[index] = m;
                variances[index] = v;
            }
            if (t == series.Length) break;
            Regression(betas, regressors, t, out var fitted);
            var y = series[t] / Scale - mean * (regressor?[t] ?? 0) - fitted;
            if (double.IsNaN(filter.Step(y)))
                throw new SarimaInputException($"The Kalman filter broke down at position {t}; the series may be too extreme for {Spec}.");
        }
        return new SarimaOriginForecasts([.. origins], horizon, means, variances);
    }

    /// <summary>Σ β_j x_j[t] in scaled units; false when a regressor has no value at <paramref name="t"/>.</summary>
    private static bool Regression(double[] betas, IReadOnlyList<double[]>? regressors, int t, out double value)
    {
        value = 0;
        for (var j = 0; j < betas.Length; j++)
        {
            if (t >= regressors![j].Length) return false;
            value += betas[j] * regressors[j][t];
        }
        return true;
    }

    /// <summary>
    /// Each regressor's part of the forecast, coefficient × value, for the <paramref name="horizon"/> steps after
    /// <paramref name="historyLength"/> observations: [regressor][step], in data units.
    /// </summary>
    public double[][] RegressionContributions(IReadOnlyList<double[]> regressors, int historyLength, int horizon)
    {
        var offset = Spec.IncludeConstant ? 1 : 0;
        return Enumerable.Range(0, Spec.Regressors).Select(j => Enumerable.Range(historyLength, horizon)
            .Select(t => _parameters[offset + j] * regressors[j][t]).ToArray()).ToArray();
    }

    private (double Mean, double[] Betas, double[] Ar, double[] Ma, double[] SeasonalAr, double[] SeasonalMa, double Sigma2) Split(double[] p)
    {
        var offset = 0;
        var mean = Spec.IncludeConstant ? p[offset++] : 0;
        double[] Take(int count) { var block = p.AsSpan(offset, count).ToArray(); offset += count; return block; }
        var betas = Take(Spec.Regressors);
        var ar = Take(Spec.ArOrder);
        var ma = Take(Spec.MaOrder);
        var seasonalAr = Take(Spec.SeasonalArOrder);
        var seasonalMa = Take(Spec.SeasonalMaOrder);
        return (mean, betas, ar, ma, seasonalAr, seasonalMa, p[offset]);
    }

    /// <summary>UTF-8 JSON of everything needed to report on and forecast with this model.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new SarimaFitState(
        SarimaFitState.CurrentFormat, Spec, _parameters, _standardErrors.Value.Select(e => double.IsFinite(e) ? e : (double?)null).ToArray(),
        LogLikelihood, ObservationCount, EffectiveObservations, Scale, Iterations, Converged));

    public static SarimaFit Deserialize(byte[] bytes)
    {
        SarimaFitState? state;
        try { state = JsonSerializer.Deserialize<SarimaFitState>(bytes); }
        catch (JsonException exception) { throw new SarimaInputException("The stored SARIMA model is not valid JSON; refit the model.", exception); }
        if (state is null || state.Format != SarimaFitState.CurrentFormat || state.Spec is null || state.Parameters is null
            || state.Parameters.Length != state.Spec.ParameterCount)
            throw new SarimaInputException($"The stored SARIMA model is not in format {SarimaFitState.CurrentFormat}; refit the model.");
        var errors = (state.StandardErrors ?? []).Select(e => e ?? double.NaN).ToArray();
        if (errors.Length != state.Parameters.Length) errors = Enumerable.Repeat(double.NaN, state.Parameters.Length).ToArray();
        return new SarimaFit(state.Spec, state.Parameters, new Lazy<double[]>(errors), state.LogLikelihood, state.ObservationCount,
            state.EffectiveObservations, state.Scale, state.Iterations, state.Converged);
    }
}
