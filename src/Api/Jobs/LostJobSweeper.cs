using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Queues again every queued row that no job has claimed <see cref="JobsOptions.LostAfter"/> after it was created:
/// its enqueue was lost (the API process died between saving the row and queueing it). Runs on every worker;
/// two sweepers queueing one row at once is harmless (<see cref="JobDispatch"/>: one job wins, the other does nothing).
/// </summary>
public sealed class LostJobSweeper(IServiceScopeFactory scopes, IJobQueue queue, JobExecutors executors, TimeProvider clock, IOptions<JobsOptions> options, ILogger<LostJobSweeper> logger)
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
        var swept = 0;
        foreach (var executor in executors.All)
        {
            var lost = await executor.Rows(db).AsNoTracking()
                .Where(r => r.Status == JobStatus.Queued && r.DispatchId == null && r.CreatedAt < before)
                .Select(r => new { r.Id, r.Queue }).ToListAsync(cancellationToken);
            foreach (var row in lost)
            {
                logger.LogWarning("{Kind} {Id} was saved but never queued (the process that took it stopped); queueing it", executor.Kind, row.Id);
                await JobDispatch.QueueAsync(queue, executor, db, row.Id, row.Queue);
            }
            swept += lost.Count;
        }
        return swept;
    }
}
