using Forecasting.Api.Schedules;
using Forecasting.Domain;
using Hangfire;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary><see cref="IRecurringSchedules"/> on Hangfire recurring jobs (keyed schedule-{id:N}), fired on the statistical queue.</summary>
public sealed class HangfireRecurringSchedules(IRecurringJobManager recurringJobs) : IRecurringSchedules
{
    public void Register(Guid scheduleId, string cron, TimeZoneInfo zone) =>
        recurringJobs.AddOrUpdate<JobRunner>(
            KeyOf(scheduleId), WorkQueue.Statistical.ToWire(), r => r.FireScheduleAsync(scheduleId, CancellationToken.None),
            // A firing missed while no worker ran is made up once when one starts (Hangfire's relaxed misfire handling).
            CronSchedule.ToEngineExpression(cron), new RecurringJobOptions { TimeZone = zone });

    public void Remove(Guid scheduleId) => recurringJobs.RemoveIfExists(KeyOf(scheduleId));

    private static string KeyOf(Guid scheduleId) => $"schedule-{scheduleId:N}";
}
