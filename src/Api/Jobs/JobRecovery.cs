using Forecasting.Api.Deployment;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// At start, where queued jobs do not survive a restart (the one-process mode), a worker queues every
/// job its row calls queued or running again, on the row's queue: the rows are durable, the dispatcher need not be.
/// In the cluster, PostgreSQL keeps the queue and a dead worker's jobs come back on their own.
/// </summary>
public sealed class JobRecovery(
    IServiceScopeFactory scopes, IJobQueue queue, JobExecutors executors, ServiceRole role, ILogger<JobRecovery> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!role.RunsJobs || queue.SurvivesRestart) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        foreach (var executor in executors.All)
        {
            var rows = await executor.Rows(db)
                .Where(r => r.Status == JobStatus.Queued || r.Status == JobStatus.Running)
                .OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
            // The previous process's jobs are gone with it: each row is dispatched afresh.
            foreach (var row in rows) (row.Status, row.DispatchId) = (JobStatus.Queued, null);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var row in rows)
            {
                logger.LogWarning("Re-queueing {Kind} {Id}, left unfinished by a previous process", executor.Kind, row.Id);
                await JobDispatch.QueueAsync(queue, executor, db, row.Id, row.Queue);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
