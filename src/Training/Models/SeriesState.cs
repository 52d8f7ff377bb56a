namespace Forecasting.Training.Models;

/// <summary>One series and target's stored fit in a model stored per series (<see cref="ISeriesStateModel"/>).</summary>
public sealed record SeriesState(string Series, string Target, byte[] State);
