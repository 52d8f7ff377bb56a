using Forecasting.Api.Schedules;
using Forecasting.Persistence;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary>
/// The methods Hangfire invokes, each by the id of a row: the executors own the row's lifecycle. Hangfire's own
/// retries are off (the service's policy is the executors': a run whose worker died is taken up again, at most
/// three attempts in all; a run that failed on its input is failed, not retried).
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class JobRunner(
    TrainingRunExecutor runs, BacktestExecutor backtests, JobCancelWatch cancelWatch, IServiceScopeFactory scopes,
    IOptions<JobsOptions> options, ILogger<JobRunner> logger)
{
    /// <param name="runId">The training run's row.</param>
    /// <param name="context">This job, filled in by Hangfire: its id is the dispatch id the row must carry for it to run.</param>
    /// <param name="shutdown">Hangfire's token: this worker is stopping (or the job was deleted).</param>
    public Task TrainAsync(Guid runId, PerformContext? context, CancellationToken shutdown) =>
        RunAsync(JobKind.TrainingRun, runId, DispatchId(context), runs.ExecuteAsync, shutdown);

    public Task BacktestAsync(Guid backtestId, PerformContext? context, CancellationToken shutdown) =>
        RunAsync(JobKind.Backtest, backtestId, DispatchId(context), backtests.ExecuteAsync, shutdown);

    private static string DispatchId(PerformContext? context) =>
        context?.BackgroundJob.Id ?? throw new InvalidOperationException("Hangfire ran a job without its context.");

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

    private async Task RunAsync(JobKind kind, Guid id, string dispatchId, Func<Guid, string, CancellationToken, Task> execute, CancellationToken shutdown)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["Worker"] = options.Value.WorkerName });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        using var stopWatching = new CancellationTokenSource();
        var watching = cancelWatch.WatchAsync(kind, id, cancel, stopWatching.Token);
        try
        {
            await execute(id, dispatchId, cancel.Token);
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }
        // Stopped by this worker's shutdown, the executor put the row back to queued: throwing while Hangfire stops
        // hands the job back to its queue, for another worker (or this one, restarted).
        if (shutdown.IsCancellationRequested && await IsQueuedAsync(kind, id)) throw new OperationCanceledException(shutdown);
    }

    private async Task<bool> IsQueuedAsync(JobKind kind, Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        return kind == JobKind.TrainingRun
            ? await db.TrainingRuns.AnyAsync(r => r.Id == id && r.Status == TrainingRunStatus.Queued)
            : await db.Backtests.AnyAsync(b => b.Id == id && b.Status == TrainingRunStatus.Queued);
    }
}
