using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>Where conformal intervals are calibrated (a training request's <c>intervals.calibration</c>).</summary>
[JsonConverter(typeof(WireEnumConverter<CalibrationSource>))]
public enum CalibrationSource
{
    /// <summary>The trained model's errors on the validation period (completed to a year with the end of training).</summary>
    [JsonStringEnumMemberName("validation")] Validation,

    /// <summary>Refits at rolling origins at the end of the training and validation data, as StatsForecast's <c>ConformalIntervals(h, n_windows)</c>.</summary>
    [JsonStringEnumMemberName("backtest")] Backtest,
}
