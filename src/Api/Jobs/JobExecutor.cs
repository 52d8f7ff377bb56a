using Forecasting.Api.Checkpoints;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The lifecycle every job type shares, around its own work (<see cref="RunAsync"/>): read the checkpoint an earlier
/// attempt left, start the row (or refuse to: <see cref="JobLifecycle{TRecord}"/>), run, and end it succeeded,
/// cancelled (nothing written), back in the queue (the worker stopped) or failed with a sentence; the checkpoint
/// goes when the row is finished. A job type implements its kind, its checkpoint's reading and its work.
/// </summary>
public abstract class JobExecutor<TRecord, TResume>(IServiceScopeFactory scopes, CheckpointStore checkpoints, TimeProvider clock, ILogger logger)
    : IJobExecutor where TRecord : JobRecord where TResume : class
{
    public abstract JobKind Kind { get; }

    /// <summary>The job's name in messages and logs ("training run").</summary>
    protected abstract string Name { get; }

    /// <summary>What the user can do when the job is given up after repeated crashes.</summary>
    protected abstract string GivenUpAdvice { get; }

    protected IServiceScopeFactory Scopes => scopes;
    protected CheckpointStore Checkpoints => checkpoints;
    protected TimeProvider Clock => clock;

    public IQueryable<JobRecord> Rows(ForecastingDbContext db) => db.Set<TRecord>();

    public Task<bool> ClaimAsync(ForecastingDbContext db, Guid id, string dispatchId) => JobDispatch.ClaimAsync<TRecord>(db, id, dispatchId);

    public async Task ExecuteAsync(Guid id, string dispatchId, CancellationToken interrupted)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { [$"{Kind}Id"] = id });
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var lifecycle = new JobLifecycle<TRecord>(db, clock, logger, Name);
        var saved = await checkpoints.FindAsync(id, CancellationToken.None);
        var resume = saved is null ? null : ReadCheckpoint(id, saved);
        var row = await lifecycle.StartAsync(id, dispatchId, GivenUpAdvice, r => Starting(r, resume));
        if (row is not null)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
            try
            {
                await RunAsync(new JobAttempt<TRecord, TResume>(row, resume, db, scope.ServiceProvider, lifecycle, cancel.Token));
            }
            catch (OperationCanceledException)
            {
                await lifecycle.StoppedAsync(id);
            }
            catch (Exception e)
            {
                await lifecycle.FailedAsync(id, e);
            }
        }
        await checkpoints.DeleteIfFinishedAsync<TRecord>(id);
    }

    /// <summary>The saved checkpoint as this job type resumes from it; null when it cannot be read (the job starts over).</summary>
    protected abstract TResume? ReadCheckpoint(Guid id, CheckpointEntity saved);

    /// <summary>Resets the row's progress to where this attempt starts (saved with the row's start).</summary>
    protected abstract void Starting(TRecord row, TResume? resume);

    /// <summary>The job's work, ending with <see cref="SucceedAsync"/>; throws to cancel or fail it.</summary>
    protected abstract Task RunAsync(JobAttempt<TRecord, TResume> attempt);

    /// <summary>Reads the row again: a cancel that came while the job ran wins over its result.</summary>
    protected static async Task ThrowIfCancelRequestedAsync(JobAttempt<TRecord, TResume> attempt)
    {
        await attempt.Db.Entry(attempt.Row).ReloadAsync(CancellationToken.None);
        if (attempt.Row.CancelRequested) throw new OperationCanceledException();
    }

    /// <summary>One transaction: the results the caller put on the context and the row's success appear together or not at all, and the checkpoint goes with them.</summary>
    protected static async Task SucceedAsync(JobAttempt<TRecord, TResume> attempt)
    {
        await using var transaction = await attempt.Db.Database.BeginTransactionAsync(CancellationToken.None);
        await attempt.Lifecycle.SucceedAsync(attempt.Row);
        await attempt.Db.Checkpoints.Where(c => c.JobId == attempt.Row.Id).ExecuteDeleteAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }
}
