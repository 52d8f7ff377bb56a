using Forecasting.Api.Hosting;
using Forecasting.Api.Schedules;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// At start: every schedule's recurring job is registered again from its row (idempotent; the in-memory engine
/// starts empty), and, where queued jobs do not survive a restart (the one-process mode), a worker queues every
/// training run and backtest its row calls queued or running again: the rows are durable, the dispatcher need not be.
/// In the cluster, PostgreSQL keeps the queue and a dead worker's jobs come back on their own.
/// </summary>
public sealed class JobRecovery(IServiceScopeFactory scopes, IJobQueue queue, ModelKindRegistry kinds, IRecurringSchedules schedules, ServiceRole role, ILogger<JobRecovery> logger) : IHostedService
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
        if (!role.RunsJobs || queue.SurvivesRestart) return;

        var runs = await db.TrainingRuns
            .Where(r => r.Status == TrainingRunStatus.Queued || r.Status == TrainingRunStatus.Running)
            .OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        var backtests = await db.Backtests
            .Where(b => b.Status == TrainingRunStatus.Queued || b.Status == TrainingRunStatus.Running)
            .OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        // The previous process's jobs are gone with it: each row is dispatched afresh.
        foreach (var run in runs) (run.Status, run.DispatchId) = (TrainingRunStatus.Queued, null);
        foreach (var backtest in backtests) (backtest.Status, backtest.DispatchId) = (TrainingRunStatus.Queued, null);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var run in runs)
        {
            logger.LogWarning("Re-queueing training run {RunId}, left unfinished by a previous process", run.Id);
            await JobDispatch.QueueAsync(queue, db, JobKind.TrainingRun, run.Id, kinds.QueueOf(ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson).Model.Kind));
        }
        foreach (var backtest in backtests)
        {
            logger.LogWarning("Re-queueing backtest {BacktestId}, left unfinished by a previous process", backtest.Id);
            await JobDispatch.QueueAsync(queue, db, JobKind.Backtest, backtest.Id, kinds.QueueOf(ApiJson.Deserialize<Backtests.BacktestRequest>(backtest.SpecJson).Model.Kind));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
