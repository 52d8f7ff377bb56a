namespace Forecasting.Training.Models;

/// <summary>One query's answer in <see cref="IFittedModel.ForecastBatch"/>: its forecasts, or why it has none (<see cref="ForecastInputException"/>'s message).</summary>
public sealed record BatchForecast(IReadOnlyList<TargetForecast>? Forecasts, string? Error);
