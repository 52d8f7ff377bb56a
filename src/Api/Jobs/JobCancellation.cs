using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Cancels a job on its row, whichever process holds it: a queued one ends cancelled at once (its queued job
/// finds it finished and does nothing); a running one is flagged, and the worker running it sees the flag
/// within half a second (<see cref="JobCancelWatch"/>) and its executor ends it cancelled.
/// </summary>
public static class JobCancellation
{
    /// <summary>False when the job has already finished.</summary>
    public static async Task<bool> CancelAsync(IJobRecord record, ForecastingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (TrainingRunStatus.IsFinished(record.Status)) return false;
        record.CancelRequested = true;
        if (record.Status == TrainingRunStatus.Queued)
        {
            record.Status = TrainingRunStatus.Cancelled;
            record.FinishedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
