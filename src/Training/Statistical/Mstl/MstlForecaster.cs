using System.Text.Json.Serialization;

namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// A fitted mstl, as R's <c>forecast.mstl</c>: from any history, decompose it (the decomposition has no fitted
/// parameters), forecast the seasonally adjusted series with the ARIMA fitted on the training period (no refit), and
/// add each seasonal component's last cycle. The variances are the ARIMA's, as R's intervals are.
/// </summary>
public sealed class MstlForecaster(IReadOnlyList<int> seasons, SarimaForecaster arima, MstlVarianceShares shares) : IUnivariateForecaster
{
    public IReadOnlyList<int> Seasons { get; } = seasons;

    /// <summary>The model of the seasonally adjusted series.</summary>
    public SarimaForecaster Arima { get; } = arima;

    /// <summary>How the training period's variance splits between the components (reported, and stored with the fit).</summary>
    public MstlVarianceShares Shares { get; } = shares;

    /// <summary>STL needs more than two cycles of the longest season.</summary>
    [JsonIgnore]
    public int MinimumHistory => Math.Max(2 * Seasons[^1] + 1, Arima.MinimumHistory);

    public static MstlForecaster Fit(ReadOnlySpan<double> training, IReadOnlyList<int> seasons, CancellationToken cancellationToken)
    {
        var decomposition = MstlDecomposition.Decompose(training, seasons);
        var result = AutoSarima.Search(decomposition.SeasonallyAdjusted(), 0, new AutoSarimaOptions(Search: Domain.AutoSarimaSearch.Stepwise), cancellationToken);
        return new MstlForecaster(seasons, new SarimaForecaster(result.Best, result.Candidates), MstlVarianceShares.Of(training, decomposition));
    }

    public (double[] Mean, double[] Variance) Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var decomposition = MstlDecomposition.Decompose(history, Seasons);
        var (mean, variance) = Arima.Forecast(decomposition.SeasonallyAdjusted(), horizon);
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
}
