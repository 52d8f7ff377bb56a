namespace Forecasting.Training.Models;

/// <summary>
/// A fitted model that forecasts a history's own observations one step ahead with its fitted parameters (no refit):
/// the in-sample fitted values, as StatsForecast's <c>fitted=True</c> and TimeGPT's <c>add_history</c> give them.
/// </summary>
public interface IInSampleForecasts
{
    /// <summary>
    /// Per target, the one-step forecasts of the observations of <see cref="ForecastQuery.History"/> from the first with
    /// enough history before it, with the model's own intervals at the query's levels from its one-step variance.
    /// </summary>
    IReadOnlyList<InSampleForecast> InSample(ForecastQuery query, CancellationToken cancellationToken = default);
}
