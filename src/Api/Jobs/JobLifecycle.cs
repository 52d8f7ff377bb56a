using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The lifecycle training runs and backtests share, on their rows: start (or refuse to: finished, cancelled
/// before it started, given up after <see cref="MaxAttempts"/>), finish, stop (cancelled by request, or back to
/// the queue when the worker shut down) and fail with a sentence.
/// </summary>
public sealed class JobLifecycle<TRecord>(ForecastingDbContext db, TimeProvider clock, ILogger logger, string job) where TRecord : JobRecord
{
    /// <summary>A job restarted this many times (each start after a crash counts) is given up as failed.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Marks the job running (one more attempt) and returns its row, or null when it must not run.</summary>
    /// <param name="id">The row's id.</param>
    /// <param name="dispatchId">This job's id in the job engine: a job the row is not dispatched to does nothing (<see cref="JobDispatch"/>).</param>
    /// <param name="givenUpAdvice">What the user can do when the job is given up after repeated crashes.</param>
    /// <param name="onStart">Resets kind-specific progress on the row before it is saved as running.</param>
    public async Task<TRecord?> StartAsync(Guid id, string dispatchId, string givenUpAdvice, Action<TRecord> onStart)
    {
        if (!await JobDispatch.ClaimAsync<TRecord>(db, id, dispatchId))
        {
            logger.LogWarning("{Job} {Id} belongs to another job than {DispatchId} (it was queued twice); this one does nothing", job, id, dispatchId);
            return null;
        }
        var record = await db.Set<TRecord>().FirstOrDefaultAsync(r => r.Id == id, CancellationToken.None);
        if (record is null || record.Status.IsFinished()) return null;
        if (record.CancelRequested)
        {
            await FinishAsync(record, JobStatus.Cancelled, "Cancelled before it started.");
            return null;
        }
        if (record.Attempts >= MaxAttempts)
        {
            await FinishAsync(record, JobStatus.Failed, $"The worker stopped during this {job} {record.Attempts} times; it was given up. {givenUpAdvice}");
            return null;
        }
        record.Status = JobStatus.Running;
        record.Attempts++;
        record.StartedAt = clock.GetUtcNow();
        onStart(record);
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("{Job} {Id} started (attempt {Attempt})", job, id, record.Attempts);
        return record;
    }

    /// <summary>Marks the job succeeded (with whatever else the caller changed) in one SaveChanges.</summary>
    public Task SucceedAsync(TRecord record)
    {
        record.Status = JobStatus.Succeeded;
        record.FinishedAt = clock.GetUtcNow();
        record.Error = null;
        return db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>After an OperationCanceledException: cancelled by request, or queued again after a shutdown.</summary>
    public async Task StoppedAsync(Guid id)
    {
        var record = await ReloadAsync(id);
        if (record.CancelRequested)
        {
            await FinishAsync(record, JobStatus.Cancelled, "Cancelled by request.");
            return;
        }
        // Interrupted by the worker shutting down: back to the queue, run again (from its checkpoint, if any) on the next start.
        record.Status = JobStatus.Queued;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogWarning("{Job} {Id} interrupted by shutdown; it will run again when the worker restarts", job, id);
    }

    public async Task FailedAsync(Guid id, Exception error)
    {
        var message = JobFailure.Describe(error, job, id);
        logger.LogWarning(error, "{Job} {Id} failed: {Message}", job, id, message);
        await FinishAsync(await ReloadAsync(id), JobStatus.Failed, message);
    }

    private async Task<TRecord> ReloadAsync(Guid id)
    {
        db.ChangeTracker.Clear();
        return await db.Set<TRecord>().FirstAsync(r => r.Id == id, CancellationToken.None);
    }

    private async Task FinishAsync(TRecord record, JobStatus status, string message)
    {
        record.Status = status;
        record.Error = status == JobStatus.Failed ? message : null;
        record.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("{Job} {Id} {Status}: {Message}", job, record.Id, status.ToWire(), message);
    }
}
