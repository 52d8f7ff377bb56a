using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>How a training run calibrates its conformal intervals (the request's <c>intervals</c>).</summary>
public sealed record IntervalsSpec
{
    public const int DefaultWindows = 20;

    public CalibrationSource Calibration { get; init; } = CalibrationSource.Validation;

    /// <summary>
    /// backtest: the number of rolling-origin windows of <c>horizon</c> steps (default 20: with one series, the fewest
    /// errors per step for which the 95% split-conformal quantile is not the largest error).
    /// </summary>
    public int? Windows { get; init; }

    [JsonIgnore]
    public int EffectiveWindows => Windows ?? DefaultWindows;
}
