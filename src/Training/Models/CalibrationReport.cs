using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// Where a model's conformal intervals were calibrated, reported with its metrics: the source, the backtest's
/// windows and horizon (null for validation), and how many scored errors (all series, targets and steps) went in.
/// </summary>
public sealed record CalibrationReport(CalibrationSource Source, int? Windows, int? WindowSteps, int Errors);
