using Forecasting.Domain;

namespace Forecasting.Persistence.Entities;

/// <summary>
/// The fields every background job's row has (training runs, backtests, and the job types to come): the record of
/// truth for its lifecycle. The job engine only dispatches it; its executor reads the row and decides what to do.
/// </summary>
public abstract class JobRecord
{
    public Guid Id { get; set; }
    public Guid DatasetId { get; set; }

    /// <summary>The model kind the job trains or evaluates ("lstm", "sarima"), from its request.</summary>
    public required string Kind { get; set; }

    /// <summary>The work queue it was put on, decided once from its kind's traits, by the submission (JobSubmission).</summary>
    public WorkQueue Queue { get; set; }

    public JobStatus Status { get; set; }

    /// <summary>The request body as JSON.</summary>
    public required string SpecJson { get; set; }

    public string? Error { get; set; }

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
