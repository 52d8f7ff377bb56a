using Quartz;

namespace Forecasting.Api.Schedules;

/// <summary>The Quartz job of a schedule's cron trigger: queues a training run through <see cref="ScheduleFiring"/>.</summary>
[DisallowConcurrentExecution]
public sealed class ScheduleJob(IServiceScopeFactory scopes, ILogger<ScheduleJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduleId = Guid.Parse(context.MergedJobDataMap.GetString(ScheduleTriggers.IdKey)!);
        await using var scope = scopes.CreateAsyncScope();
        var firing = scope.ServiceProvider.GetRequiredService<ScheduleFiring>();
        var run = await firing.FireAsync(scheduleId, null, cancellationToken);
        if (run is null) logger.LogWarning("Schedule {ScheduleId} fired but no longer exists", scheduleId);
        else logger.LogInformation("Schedule {ScheduleId} queued training run {RunId}", scheduleId, run.Id);
    }
}
