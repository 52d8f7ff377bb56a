namespace Forecasting.Persistence.Entities;

/// <summary>
/// The latest checkpoint of an unfinished job, so a worker that takes the job over resumes instead of restarting:
/// one row per job, replaced by each new checkpoint and deleted when the job finishes.
/// </summary>
public sealed class CheckpointEntity
{
    /// <summary>The training run's or backtest's id.</summary>
    public Guid JobId { get; set; }

    public CheckpointKind Kind { get; set; }

    /// <summary>Completed epochs (a training run) or origins (a backtest) the state holds.</summary>
    public int Step { get; set; }

    /// <summary>The job's state: the training backend's bytes, or a backtest's completed forecasts.</summary>
    public required byte[] State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
