namespace Forecasting.Persistence.Entities;

/// <summary>The record of truth for a rolling-origin backtest job: status, progress, error, metrics and forecasts.</summary>
public sealed class BacktestEntity : IJobRecord
{
    public Guid Id { get; set; }
    public Guid DatasetId { get; set; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public required string Status { get; set; }

    /// <summary>The request body (BacktestRequest) as JSON.</summary>
    public required string SpecJson { get; set; }

    /// <summary>Origins forecast so far, of <see cref="Total"/>.</summary>
    public int Done { get; set; }

    public int Total { get; set; }

    /// <summary>The API key that queued it (null: open mode, the configuration admin key, or a schedule); counted for the per-key job cap.</summary>
    public Guid? CreatedByKeyId { get; set; }

    /// <summary>The completed origins the latest attempt resumed from; null when it started from scratch.</summary>
    public int? ResumedFrom { get; set; }

    public string? Error { get; set; }

    /// <summary>The MetricSet of all forecasts, as JSON; null until the backtest succeeds.</summary>
    public string? MetricsJson { get; set; }

    /// <summary>Every forecast (origin, target, step, timestamp, predicted, actual) as a JSON array; null until the backtest succeeds.</summary>
    public string? ForecastsJson { get; set; }

    /// <summary>
    /// The job engine's id of the one job allowed to execute this row, set once (by whoever comes first: the request
    /// that queued it, the job itself at start, or the sweeper that queues a row whose enqueue was lost); a job with
    /// another id finds it taken and does nothing, so a row never runs twice.
    /// </summary>
    public string? DispatchId { get; set; }

    /// <summary>How many times a worker started it (a restart after a crash starts it again).</summary>
    public int Attempts { get; set; }

    public bool CancelRequested { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
