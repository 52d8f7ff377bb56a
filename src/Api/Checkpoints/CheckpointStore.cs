using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Checkpoints;

/// <summary>
/// The checkpoints table: at most one row per job, each save replacing the previous one in its own transaction
/// (a crash mid-save leaves the previous checkpoint), deleted once the job has finished.
/// </summary>
public sealed class CheckpointStore(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CheckpointStore> logger)
{
    public async Task<CheckpointEntity?> FindAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        return await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.JobId == jobId, cancellationToken);
    }

    /// <summary>Replaces the job's checkpoint; synchronous, for the training thread, which waits until it is durable.</summary>
    public void Save(Guid jobId, CheckpointKind kind, int step, byte[] state)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        using var transaction = db.Database.BeginTransaction();
        db.Checkpoints.Where(c => c.JobId == jobId).ExecuteDelete();
        db.Checkpoints.Add(new CheckpointEntity { JobId = jobId, Kind = kind, Step = step, State = state, CreatedAt = clock.GetUtcNow() });
        db.SaveChanges();
        transaction.Commit();
        logger.LogDebug("{Kind} {JobId}: checkpoint at step {Step} saved ({Bytes} bytes)", kind, jobId, step, state.Length);
    }

    /// <summary>Deletes the job's checkpoint (one that cannot be resumed); synchronous, for the training thread.</summary>
    public void Delete(Guid jobId)
    {
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ForecastingDbContext>().Checkpoints.Where(c => c.JobId == jobId).ExecuteDelete();
    }

    /// <summary>Deletes the job's checkpoint when its row is finished (succeeded, failed, cancelled) or gone; a job still queued keeps it.</summary>
    public async Task DeleteIfFinishedAsync<TRecord>(Guid jobId) where TRecord : JobRecord
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var status = await db.Set<TRecord>().Where(r => r.Id == jobId).Select(r => (JobStatus?)r.Status).FirstOrDefaultAsync(CancellationToken.None);
        if (status is not { } current || current.IsFinished())
            await db.Checkpoints.Where(c => c.JobId == jobId).ExecuteDeleteAsync(CancellationToken.None);
    }
}
