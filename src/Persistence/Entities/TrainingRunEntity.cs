namespace Forecasting.Persistence.Entities;

/// <summary>The record of truth for a training job (the job engine only dispatches it): status, progress, error, result.</summary>
public sealed class TrainingRunEntity : IJobRecord
{
    public Guid Id { get; set; }
    public Guid DatasetId { get; set; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public required string Status { get; set; }

    /// <summary>The request body (TrainingRunSpec) as JSON.</summary>
    public required string SpecJson { get; set; }

    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public double? TrainLoss { get; set; }
    public double? ValidMae { get; set; }

    /// <summary>The checkpoint's epoch the latest attempt resumed from; null when it started from scratch.</summary>
    public int? ResumedFromEpoch { get; set; }

    public string? Error { get; set; }
    public Guid? ModelId { get; set; }
    public Guid? ScheduleId { get; set; }

    /// <summary>For a scheduled run that succeeded: its schedule's promotion decision as JSON, saved with the success.</summary>
    public string? PromotionDecisionJson { get; set; }

    /// <summary>The API key that queued it (null: open mode, the configuration admin key, or a schedule); counted for the per-key job cap.</summary>
    public Guid? CreatedByKeyId { get; set; }

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
