using Quartz;

namespace Forecasting.Api.Jobs;

/// <summary>Puts training runs on Quartz's persistent queue, and takes them off or interrupts them.</summary>
public sealed class TrainingRunQueue(ISchedulerFactory schedulers)
{
    public static JobKey KeyOf(Guid runId) => new($"training-{runId:N}", "training");

    public async Task EnqueueAsync(Guid runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<TrainingJob>()
            .WithIdentity(KeyOf(runId))
            .UsingJobData(TrainingJob.RunIdKey, runId.ToString())
            // A firing cut short by a crash (kill -9) is fired again when the worker comes back.
            .RequestRecovery(true)
            .Build();
        var trigger = TriggerBuilder.Create().ForJob(job).WithIdentity($"training-{runId:N}", "training").StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }

    public async Task<bool> ExistsAsync(Guid runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.Exists(KeyOf(runId), cancellationToken);
    }

    /// <summary>Removes a run that has not started; false when it is already executing (or gone).</summary>
    public async Task<bool> RemoveAsync(Guid runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.DeleteJob(KeyOf(runId), cancellationToken);
    }

    /// <summary>Signals the run's cancellation token wherever it executes.</summary>
    public async Task InterruptAsync(Guid runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.Interrupt(KeyOf(runId), cancellationToken);
    }
}
