using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Schedules;

/// <summary>
/// At start, every schedule's recurring job is registered again from its row: idempotent, and needed because the
/// in-memory engine of the one-process mode starts empty.
/// </summary>
public sealed class ScheduleRecovery(IServiceScopeFactory scopes, IRecurringSchedules schedules) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        foreach (var schedule in await db.Schedules.AsNoTracking().ToListAsync(cancellationToken))
        {
            ScheduleValidator.TryFindTimeZone(schedule.TimeZone, out var zone);
            schedules.Register(schedule.Id, schedule.Cron, zone);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
