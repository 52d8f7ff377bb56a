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
    /// <summary>
    /// False when the job has already finished. A queued job ends cancelled at once and its queued job is withdrawn
    /// from the queue; a running one gets the flag its worker watches.
    /// </summary>
    public static async Task<bool> CancelAsync(JobRecord record, ForecastingDbContext db, IJobQueue queue, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (record.Status.IsFinished()) return false;
        record.CancelRequested = true;
        var wasQueued = record.Status == JobStatus.Queued;
        if (wasQueued)
        {
            record.Status = JobStatus.Cancelled;
            record.FinishedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        // Tidiness only: a job left in the queue would find its row cancelled and do nothing.
        if (wasQueued && record.DispatchId is { } dispatchId) queue.Withdraw(dispatchId);
        return true;
    }
}
