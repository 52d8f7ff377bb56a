namespace Forecasting.Training.Models;

/// <summary>One target's in-sample one-step forecasts: <see cref="Forecast"/>'s step i forecasts the history's observation <see cref="First"/> + i.</summary>
public sealed record InSampleForecast(int First, TargetForecast Forecast);
