using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// At worker start, after Quartz has recovered the firings a crash cut short: any run the table still calls
/// queued or running that has no Quartz job (a crash between the row and the job, or a stop without
/// recovery) is queued again, so no run stays running forever. Registered after Quartz's hosted service.
/// </summary>
public sealed class TrainingRunRecovery(IServiceScopeFactory scopes, TrainingRunQueue queue, ILogger<TrainingRunRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var unfinished = await db.TrainingRuns
            .Where(r => r.Status == TrainingRunStatus.Queued || r.Status == TrainingRunStatus.Running)
            .ToListAsync(cancellationToken);
        foreach (var run in unfinished)
        {
            if (await queue.ExistsAsync(run.Id, cancellationToken)) continue;
            logger.LogWarning("Re-queueing training run {RunId}, left {Status} by a previous worker", run.Id, run.Status);
            run.Status = TrainingRunStatus.Queued;
            await db.SaveChangesAsync(cancellationToken);
            await queue.EnqueueAsync(run.Id, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
