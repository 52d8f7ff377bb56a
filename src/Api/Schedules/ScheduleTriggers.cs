using Quartz;

namespace Forecasting.Api.Schedules;

/// <summary>Keeps each schedule's durable Quartz job and cron trigger (both keyed schedule-{id:N}) in the persistent store.</summary>
public sealed class ScheduleTriggers(ISchedulerFactory schedulers)
{
    public const string Group = "schedule";
    public const string IdKey = "scheduleId";

    public static JobKey JobKeyOf(Guid id) => new($"schedule-{id:N}", Group);
    public static TriggerKey TriggerKeyOf(Guid id) => new($"schedule-{id:N}", Group);

    public async Task RegisterAsync(Guid id, string cron, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<ScheduleJob>()
            .WithIdentity(JobKeyOf(id))
            .UsingJobData(IdKey, id.ToString())
            .StoreDurably()
            .Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(job)
            .WithIdentity(TriggerKeyOf(id))
            // A firing missed while no worker ran is made up once when one starts, not once per missed time.
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task<DateTimeOffset?> NextFireAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = await scheduler.GetTrigger(TriggerKeyOf(id), cancellationToken);
        return trigger?.NextFireTimeUtc;
    }

    public async Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.Exists(JobKeyOf(id), cancellationToken);
    }

    /// <summary>Removes the job and its trigger; false when there was none.</summary>
    public async Task<bool> RemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.DeleteJob(JobKeyOf(id), cancellationToken);
    }
}
