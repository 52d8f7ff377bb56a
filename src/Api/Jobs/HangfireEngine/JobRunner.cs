using Forecasting.Api.Schedules;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary>
/// The methods Hangfire invokes, each by the kind and id of a row: the kind's executor (<see cref="JobExecutors"/>) owns the row's lifecycle. Hangfire's own
/// retries are off (the service's policy is the executors': a run whose worker died is taken up again, at most
/// three attempts in all; a run that failed on its input is failed, not retried).
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class JobRunner(
    JobExecutors executors, JobCancelWatch cancelWatch, IServiceScopeFactory scopes,
    IOptions<JobsOptions> options, ILogger<JobRunner> logger)
{
    /// <param name="kind">Which executor runs the row.</param>
    /// <param name="id">The row.</param>
    /// <param name="context">This job, filled in by Hangfire: its id is the dispatch id the row must carry for it to run.</param>
    /// <param name="shutdown">Hangfire's token: this worker is stopping (or the job was deleted).</param>
    public async Task ExecuteAsync(JobKind kind, Guid id, PerformContext? context, CancellationToken shutdown)
    {
        var dispatchId = context?.BackgroundJob.Id ?? throw new InvalidOperationException("Hangfire ran a job without its context.");
        var executor = executors[kind];
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["Worker"] = options.Value.WorkerName });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        using var stopWatching = new CancellationTokenSource();
        var watching = cancelWatch.WatchAsync(executor, id, cancel, stopWatching.Token);
        try
        {
            await executor.ExecuteAsync(id, dispatchId, cancel.Token);
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }
        // Stopped by this worker's shutdown, the executor put the row back to queued: throwing while Hangfire stops
        // hands the job back to its queue, for another worker (or this one, restarted).
        if (shutdown.IsCancellationRequested && await IsQueuedAsync(executor, id)) throw new OperationCanceledException(shutdown);
    }

    // Jobs queued by versions before ExecuteAsync name these methods; in the cluster they can outlive an upgrade.
    public Task TrainAsync(Guid runId, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(JobKind.TrainingRun, runId, context, shutdown);

    public Task BacktestAsync(Guid backtestId, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(JobKind.Backtest, backtestId, context, shutdown);

    /// <summary>One firing of a schedule's recurring job: queues its training run.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task FireScheduleAsync(Guid scheduleId, CancellationToken shutdown)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["Worker"] = options.Value.WorkerName, ["ScheduleId"] = scheduleId });
        await using var scope = scopes.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<ScheduleFiring>().FireAsync(scheduleId, null, shutdown);
        if (run is null) logger.LogWarning("Schedule {ScheduleId} fired but no longer exists", scheduleId);
        else logger.LogInformation("Schedule {ScheduleId} queued training run {RunId}", scheduleId, run.Id);
    }

    private async Task<bool> IsQueuedAsync(IJobExecutor executor, Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        return await executor.Rows(db).AnyAsync(r => r.Id == id && r.Status == JobStatus.Queued);
    }
}
