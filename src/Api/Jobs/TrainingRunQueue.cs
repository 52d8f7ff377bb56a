using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Quartz;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Puts one kind of job (a training run, a backtest) on Quartz's persistent queue by the id of its row,
/// and takes it off or interrupts it.
/// </summary>
public abstract class JobQueue<TJob>(ISchedulerFactory schedulers, string group) where TJob : IJob
{
    /// <summary>The job data key that carries the row's id.</summary>
    public const string IdKey = "runId";

    public JobKey KeyOf(Guid id) => new($"{group}-{id:N}", group);

    public async Task EnqueueAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<TJob>()
            .WithIdentity(KeyOf(id))
            .UsingJobData(IdKey, id.ToString())
            // A firing cut short by a crash (kill -9) is fired again when the worker comes back.
            .RequestRecovery(true)
            .Build();
        var trigger = TriggerBuilder.Create().ForJob(job).WithIdentity($"{group}-{id:N}", group).StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }

    public async Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.Exists(KeyOf(id), cancellationToken);
    }

    /// <summary>Removes a job that has not started; false when it is already executing (or gone).</summary>
    public async Task<bool> RemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.DeleteJob(KeyOf(id), cancellationToken);
    }

    /// <summary>
    /// Cancels a job given its row: a queued one is taken off the queue and ends cancelled at once; a running one
    /// is flagged and interrupted, and its executor ends it. False when the job has already finished.
    /// </summary>
    public async Task<bool> CancelAsync(IJobRecord record, ForecastingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (TrainingRunStatus.IsFinished(record.Status)) return false;
        record.CancelRequested = true;
        if (record.Status == TrainingRunStatus.Queued && await RemoveAsync(record.Id, cancellationToken))
        {
            record.Status = TrainingRunStatus.Cancelled;
            record.FinishedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        if (record.Status != TrainingRunStatus.Cancelled) await InterruptAsync(record.Id, cancellationToken);
        return true;
    }

    /// <summary>Signals the job's cancellation token wherever it executes.</summary>
    public async Task InterruptAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.Interrupt(KeyOf(id), cancellationToken);
    }
}

/// <summary>Puts training runs on Quartz's persistent queue, and takes them off or interrupts them.</summary>
public sealed class TrainingRunQueue(ISchedulerFactory schedulers) : JobQueue<TrainingJob>(schedulers, "training");

/// <summary>Puts backtests on Quartz's persistent queue, and takes them off or interrupts them.</summary>
public sealed class BacktestQueue(ISchedulerFactory schedulers) : JobQueue<BacktestJob>(schedulers, "backtest");
