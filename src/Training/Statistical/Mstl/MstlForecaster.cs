using Forecasting.Domain;

namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// A fitted mstl, as R's <c>forecast.mstl</c>: from any history, decompose it (the decomposition has no fitted
/// parameters), forecast the seasonally adjusted series with the model fitted on the training period (no refit), and
/// add each seasonal component's last cycle. The variances are the adjusted model's, as R's intervals are. With
/// regressors (method arima only, as R's <c>stlf(xreg = X)</c>), the adjusted series is a regression with ARIMA errors on
/// them, chosen by <see cref="AutoSarima"/> with the regressors in.
/// </summary>
public sealed class MstlForecaster : IRegressionForecaster
{
    public MstlForecaster(IReadOnlyList<int> seasons, SarimaForecaster arima, MstlVarianceShares shares)
        : this(seasons, MstlMethod.Arima, arima, shares) { }

    internal MstlForecaster(IReadOnlyList<int> seasons, NonSeasonalEts ets, MstlVarianceShares shares)
        : this(seasons, MstlMethod.Ets, ets, shares) { }

    private MstlForecaster(IReadOnlyList<int> seasons, MstlMethod method, IUnivariateForecaster adjusted, MstlVarianceShares shares) =>
        (Seasons, Method, Adjusted, Shares) = (seasons, method, adjusted, shares);

    public IReadOnlyList<int> Seasons { get; }

    public MstlMethod Method { get; }

    /// <summary>The model of the seasonally adjusted series: a <see cref="SarimaForecaster"/> (arima) or a non-seasonal ETS (ets).</summary>
    public IUnivariateForecaster Adjusted { get; }

    /// <summary>How the training period's variance splits between the components (reported, and stored with the fit).</summary>
    public MstlVarianceShares Shares { get; }

    /// <summary>STL needs more than two cycles of the longest season.</summary>
    public int MinimumHistory => Math.Max(2 * Seasons[^1] + 1, Adjusted.MinimumHistory);

    public static MstlForecaster Fit(ReadOnlySpan<double> training, IReadOnlyList<int> seasons, MstlMethod method, CancellationToken cancellationToken) =>
        Fit(training, null, seasons, method, cancellationToken);

    /// <summary>The fit with <paramref name="regressors"/> (columns over the training span) for the adjusted series' ARIMA; ets takes none.</summary>
    public static MstlForecaster Fit(ReadOnlySpan<double> training, IReadOnlyList<double[]>? regressors, IReadOnlyList<int> seasons, MstlMethod method,
        CancellationToken cancellationToken)
    {
        var decomposition = MstlDecomposition.Decompose(training, seasons);
        var adjusted = decomposition.SeasonallyAdjusted();
        var shares = MstlVarianceShares.Of(training, decomposition);
        if (method == MstlMethod.Ets)
            return regressors is null ? new MstlForecaster(seasons, NonSeasonalEts.Select(adjusted), shares)
                : throw new ArgumentException("mstl with method ets takes no regressors.");
        var result = AutoSarima.Search(adjusted, regressors, 0, new AutoSarimaOptions(Search: AutoSarimaSearch.Stepwise), cancellationToken);
        return new MstlForecaster(seasons, new SarimaForecaster(result.Best, result.Candidates), shares);
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var decomposition = MstlDecomposition.Decompose(history, Seasons);
        var (mean, variance) = Adjusted.Forecast(decomposition.SeasonallyAdjusted(), horizon);
        var seasonal = decomposition.SeasonalForecast(horizon);
        for (var k = 0; k < horizon; k++) mean[k] += seasonal[k];
        return (mean, variance);
    }

    /// <summary>Each origin decomposes only its own past (STL smooths both ways, so one decomposition of all the values would see the future).</summary>
    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<int> origins, int horizon)
    {
        var data = values.ToArray();
        var rows = new double[origins.Count][];
        Parallel.For(0, origins.Count, o => rows[o] = Forecast(data.AsSpan(0, origins[o]), horizon).Mean);
        return rows;
    }

    public int Regressors => (Adjusted as SarimaForecaster)?.Regressors ?? 0;

    private SarimaForecaster Regression => Adjusted as SarimaForecaster ?? throw new InvalidOperationException("This mstl fit has no regression part.");

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, IReadOnlyList<double[]> regressors, int horizon)
    {
        var decomposition = MstlDecomposition.Decompose(history, Seasons);
        var (mean, variance) = Regression.Forecast(decomposition.SeasonallyAdjusted(), regressors, horizon);
        var seasonal = decomposition.SeasonalForecast(horizon);
        for (var k = 0; k < horizon; k++) mean[k] += seasonal[k];
        return (mean, variance);
    }

    public double[][] ForecastAtOrigins(ReadOnlySpan<double> values, IReadOnlyList<double[]> regressors, IReadOnlyList<int> origins, int horizon)
    {
        var data = values.ToArray();
        var rows = new double[origins.Count][];
        Parallel.For(0, origins.Count, o => rows[o] = Forecast(data.AsSpan(0, origins[o]), regressors.Select(x => x[..(origins[o] + horizon)]).ToArray(), horizon).Mean);
        return rows;
    }

    public double[][] Contributions(IReadOnlyList<double[]> regressors, int historyLength, int horizon) => Regression.Contributions(regressors, historyLength, horizon);

    public IReadOnlyList<(double Coefficient, double StandardError)> Coefficients => Regression.Coefficients;

    /// <summary>Parameters of the adjusted model (the decomposition has none).</summary>
    public int ParameterCount => Adjusted switch
    {
        SarimaForecaster arima => arima.Fit.Spec.ParameterCount,
        NonSeasonalEts ets => ets.ParameterCount,
        _ => throw new InvalidOperationException("Unknown adjusted-series model."),
    };

    /// <summary>What the model summary reports of the adjusted model.</summary>
    public object DescribeAdjusted() => Adjusted switch
    {
        SarimaForecaster arima => arima.Describe(),
        NonSeasonalEts ets => ets.Describe(),
        _ => throw new InvalidOperationException("Unknown adjusted-series model."),
    };
}
