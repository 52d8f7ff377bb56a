namespace Forecasting.Training.Statistical;

/// <summary>A fitted SARIMA as the service's univariate forecaster: forecasts and intervals from its Kalman filter.</summary>
public sealed class SarimaForecaster(SarimaFit fit, IReadOnlyList<AutoSarimaCandidate>? candidates = null) : IRegressionForecaster
{
    public SarimaFit Fit { get; } = fit;

    /// <summary>The orders an order search compared, when this fit came from one (reported, not stored).</summary>
    public IReadOnlyList<AutoSarimaCandidate>? Candidates { get; } = candidates;

    /// <summary>
    /// This forecaster with its fit's standard errors computed: until then they hold the fit's likelihood (its data and
    /// filter buffers), tens of KB that a fleet's fits would all hold at once before the model is saved with them.
    /// </summary>
    public SarimaForecaster WithStandardErrors()
    {
        _ = Fit.StandardErrors;
        return this;
    }

    /// <summary>The filter needs the differencing states filled before its forecasts mean anything.</summary>
    public int MinimumHistory => Math.Max(1, Fit.Spec.DifferencingStates + 1);

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var forecast = Fit.Forecast(history, horizon);
        return (forecast.Means.ToArray(), forecast.Variances.ToArray());
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon) =>
        Fit.ForecastAtOrigins(values, origins, horizon).Means;

    public int Regressors => Fit.Spec.Regressors;

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, IReadOnlyList<double[]> regressors, int horizon)
    {
        var forecast = Fit.Forecast(history, regressors, horizon);
        return (forecast.Means.ToArray(), forecast.Variances.ToArray());
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<double[]> regressors, IReadOnlyList<int> origins, int horizon) =>
        Fit.ForecastAtOrigins(values, regressors, origins, horizon).Means;

    public double[][] Contributions(IReadOnlyList<double[]> regressors, int historyLength, int horizon) =>
        Fit.RegressionContributions(regressors, historyLength, horizon);

    public IReadOnlyList<(double Coefficient, double StandardError)> Coefficients
    {
        get
        {
            var offset = Fit.Spec.IncludeConstant ? 1 : 0;
            return Enumerable.Range(offset, Regressors).Select(i => (Fit.Parameters[i], Fit.StandardErrors[i])).ToList();
        }
    }

    /// <summary>What the model summary reports of one fit.</summary>
    public object Describe() => new
    {
        order = new[] { Fit.Spec.ArOrder, Fit.Spec.Differences, Fit.Spec.MaOrder },
        seasonalOrder = new[] { Fit.Spec.SeasonalArOrder, Fit.Spec.SeasonalDifferences, Fit.Spec.SeasonalMaOrder, Fit.Spec.Season },
        includeConstant = Fit.Spec.IncludeConstant,
        parameters = Fit.ParameterNames.Select((name, i) => new { name, value = Fit.Parameters[i], standardError = Fit.StandardErrors[i] }).ToList(),
        logLikelihood = Fit.LogLikelihood,
        aic = Fit.Aic,
        aicc = Fit.Aicc,
        bic = Fit.Bic,
        converged = Fit.Converged,
        observations = Fit.ObservationCount,
    };
}
