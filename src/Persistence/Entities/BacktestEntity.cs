namespace Forecasting.Persistence.Entities;

/// <summary>A rolling-origin backtest's row: the shared job fields, origins done, and its metrics and forecasts.</summary>
public sealed class BacktestEntity : JobRecord
{
    /// <summary>Origins forecast so far, of <see cref="Total"/>.</summary>
    public int Done { get; set; }

    public int Total { get; set; }

    /// <summary>The completed origins the latest attempt resumed from; null when it started from scratch.</summary>
    public int? ResumedFrom { get; set; }

    /// <summary>The MetricSet of all forecasts, as JSON; null until the backtest succeeds.</summary>
    public string? MetricsJson { get; set; }

    /// <summary>Every forecast (origin, target, step, timestamp, predicted, actual) as a JSON array; null until the backtest succeeds.</summary>
    public string? ForecastsJson { get; set; }

    /// <summary>Series not forecast at some origins, with how many and why, as JSON; null when every series was.</summary>
    public string? SkippedJson { get; set; }
}
