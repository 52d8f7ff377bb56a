namespace Forecasting.Api.Schedules;

/// <summary>The job engine's seam for schedules: one recurring job per schedule row, which fires <see cref="ScheduleFiring"/>.</summary>
public interface IRecurringSchedules
{
    /// <summary>Adds or replaces the schedule's recurring job; <paramref name="cron"/> has passed <see cref="CronSchedule.TryParse"/>.</summary>
    void Register(Guid scheduleId, string cron, TimeZoneInfo zone);

    /// <summary>Removes the schedule's recurring job, if any.</summary>
    void Remove(Guid scheduleId);
}
