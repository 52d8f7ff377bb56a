using Forecasting.Api.Backtests;
using Forecasting.Api.Hosting;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Queues again every queued row that no job has claimed <see cref="JobsOptions.LostAfter"/> after it was created:
/// its enqueue was lost (the API process died between saving the row and queueing it). Runs on every worker;
/// two sweepers queueing one row at once is harmless (<see cref="JobDispatch"/>: one job wins, the other does nothing).
/// </summary>
public sealed class LostJobSweeper(IServiceScopeFactory scopes, IJobQueue queue, ModelKindRegistry kinds, TimeProvider clock, IOptions<JobsOptions> options, ILogger<LostJobSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LostAfter / 2, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sweeping for lost jobs failed; trying again in {Seconds} s", (options.Value.LostAfter / 2).TotalSeconds);
            }
        }
    }

    /// <summary>Queues the lost rows found now; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var before = clock.GetUtcNow() - options.Value.LostAfter;
        var runs = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingRunStatus.Queued && r.DispatchId == null && r.CreatedAt < before)
            .Select(r => new { r.Id, r.SpecJson }).ToListAsync(cancellationToken);
        var backtests = await db.Backtests.AsNoTracking()
            .Where(b => b.Status == TrainingRunStatus.Queued && b.DispatchId == null && b.CreatedAt < before)
            .Select(b => new { b.Id, b.SpecJson }).ToListAsync(cancellationToken);
        foreach (var run in runs)
        {
            logger.LogWarning("Training run {RunId} was saved but never queued (the process that took it stopped); queueing it", run.Id);
            await JobDispatch.QueueAsync(queue, db, JobKind.TrainingRun, run.Id, kinds.QueueOf(ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson).Model.Kind));
        }
        foreach (var backtest in backtests)
        {
            logger.LogWarning("Backtest {BacktestId} was saved but never queued (the process that took it stopped); queueing it", backtest.Id);
            await JobDispatch.QueueAsync(queue, db, JobKind.Backtest, backtest.Id, kinds.QueueOf(ApiJson.Deserialize<BacktestRequest>(backtest.SpecJson).Model.Kind));
        }
        return runs.Count + backtests.Count;
    }
}
