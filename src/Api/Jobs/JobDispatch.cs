using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Domain;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Queues saved rows and settles which job may execute each. A row's <see cref="JobRecord.DispatchId"/> is written
/// once, compare-and-set, by the first of: the request that queued it (right after the enqueue), the job itself at
/// its start, or <see cref="LostJobSweeper"/>. Any other job for the row finds it taken and does nothing. So a row
/// whose enqueue was lost (the process died between saving it and queueing it) can be queued again without ever
/// running twice.
/// </summary>
public static class JobDispatch
{
    /// <summary>Queues the saved, queued row on its stored queue and records the job as its dispatch (unless the job claimed it first).</summary>
    public static async Task QueueAsync(IJobQueue queue, IJobExecutor executor, ForecastingDbContext db, Guid id, WorkQueue workQueue)
    {
        var dispatchId = queue.Enqueue(executor.Kind, id, workQueue);
        await executor.ClaimAsync(db, id, dispatchId);
    }

    /// <summary>Makes <paramref name="dispatchId"/> the row's dispatch if it has none; true when the row's dispatch is this job.</summary>
    public static async Task<bool> ClaimAsync<TRecord>(ForecastingDbContext db, Guid id, string dispatchId) where TRecord : JobRecord
    {
        var set = await db.Set<TRecord>().Where(r => r.Id == id && r.DispatchId == null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.DispatchId, dispatchId), CancellationToken.None);
        return set == 1 || await db.Set<TRecord>().AnyAsync(r => r.Id == id && r.DispatchId == dispatchId, CancellationToken.None);
    }
}
