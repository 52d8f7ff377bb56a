using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.Models;

/// <summary>
/// Validation and test metrics as stored with a model, where its conformal intervals were calibrated (null: not
/// calibrated), and the series and period its validation figures cover (null for models stored before it was kept).
/// <see cref="InheritedFrom"/> names the trained model whose figures these are, on a model derived from it by an update
/// without refit (the same parameters, so the same validation and test forecasts); null on a trained model.
/// </summary>
public sealed record ModelMetrics(MetricSet? Validation, MetricSet? Test, CalibrationReport? Calibration = null, ValidationScope? ValidationScope = null,
    Guid? InheritedFrom = null);
