using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.Models;

/// <summary>Validation and test metrics as stored with a model, and where its conformal intervals were calibrated (null: not calibrated).</summary>
public sealed record ModelMetrics(MetricSet? Validation, MetricSet? Test, CalibrationReport? Calibration = null);
