namespace Forecasting.Training.Models;

/// <summary>
/// A fitted model that can be stored per series: what the series share (the conformal calibration) in one small state,
/// and each series and target's fit in its own, so that forecasting a few series reads and parses only theirs.
/// <see cref="IFittedModel.SaveState"/> still writes the whole model in one state.
/// </summary>
public interface ISeriesStateModel : IFittedModel
{
    /// <summary>Names the per-series layout, stored beside <see cref="SaveSharedState"/>'s bytes.</summary>
    string SeriesStateFormat { get; }

    /// <summary>What every series' forecasts read (the calibration), without the fits.</summary>
    byte[] SaveSharedState();

    /// <summary>Each fitted series and target's state (the kind's fit, or the fallback's); skipped ones have none.</summary>
    IEnumerable<SeriesState> SaveSeriesStates();
}
