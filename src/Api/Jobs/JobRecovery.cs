using Forecasting.Api.Schedules;
using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// At worker start, after Quartz has recovered the firings a crash cut short: any training run or backtest
/// the tables still call queued or running that has no Quartz job (a crash between the row and the job, or
/// a stop without recovery) is queued again, so none stays running forever; a schedule whose cron trigger Quartz lacks
/// (a crash between the row and the trigger) gets it again. Registered after Quartz's hosted service.
/// </summary>
public sealed class JobRecovery(
    IServiceScopeFactory scopes, TrainingRunQueue runs, BacktestQueue backtests, ScheduleTriggers schedules, ILogger<JobRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var unfinishedRuns = await db.TrainingRuns
            .Where(r => r.Status == TrainingRunStatus.Queued || r.Status == TrainingRunStatus.Running)
            .ToListAsync(cancellationToken);
        foreach (var run in unfinishedRuns)
            await RequeueAsync(runs, "training run", run.Id, run.Status, () => run.Status = TrainingRunStatus.Queued, db, cancellationToken);
        var unfinishedBacktests = await db.Backtests
            .Where(b => b.Status == TrainingRunStatus.Queued || b.Status == TrainingRunStatus.Running)
            .ToListAsync(cancellationToken);
        foreach (var backtest in unfinishedBacktests)
            await RequeueAsync(backtests, "backtest", backtest.Id, backtest.Status, () => backtest.Status = TrainingRunStatus.Queued, db, cancellationToken);
        foreach (var schedule in await db.Schedules.AsNoTracking().ToListAsync(cancellationToken))
        {
            if (await schedules.ExistsAsync(schedule.Id, cancellationToken)) continue;
            logger.LogWarning("Re-registering the cron trigger of schedule {Id}, missing from Quartz", schedule.Id);
            ScheduleValidator.TryFindTimeZone(schedule.TimeZone, out var zone);
            await schedules.RegisterAsync(schedule.Id, schedule.Cron, zone, cancellationToken);
        }
    }

    /// <summary>Queues the job again when Quartz has lost it, after saving its row as queued.</summary>
    private async Task RequeueAsync<TJob>(
        JobQueue<TJob> queue, string what, Guid id, string status, Action markQueued, ForecastingDbContext db, CancellationToken cancellationToken)
        where TJob : Quartz.IJob
    {
        if (await queue.ExistsAsync(id, cancellationToken)) return;
        logger.LogWarning("Re-queueing {What} {Id}, left {Status} by a previous worker", what, id, status);
        markQueued();
        await db.SaveChangesAsync(cancellationToken);
        await queue.EnqueueAsync(id, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
