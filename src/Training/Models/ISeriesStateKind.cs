namespace Forecasting.Training.Models;

/// <summary>A model kind whose models are stored per series (<see cref="ISeriesStateModel"/>) and loaded a few series at a time.</summary>
public interface ISeriesStateKind : IModelKind
{
    /// <summary>The layout name its per-series models are stored under (<see cref="ISeriesStateModel.SeriesStateFormat"/>).</summary>
    string SeriesStateFormat { get; }

    /// <summary>
    /// A model that forecasts only <paramref name="series"/>: <paramref name="shared"/> (what <see cref="IModelKind.Load"/>
    /// made of the shared state, loaded once per model) with those series' states; <paramref name="skipped"/> are series
    /// training skipped, answered with their reason.
    /// </summary>
    IFittedModel LoadSeries(IFittedModel shared, IReadOnlyList<SeriesState> series, IReadOnlyList<SeriesOutcome> skipped);
}
