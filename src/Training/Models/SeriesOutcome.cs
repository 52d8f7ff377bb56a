using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// What training did with one series and target: the method that forecasts it (the kind's name, or the fallback's), and
/// why the kind was not fitted when it was not.
/// </summary>
public sealed record SeriesOutcome(string Series, string Target, SeriesStatus Status, string? Method, string? Reason);
