using System.Diagnostics;
using Forecasting.Api.Backtests;
using Forecasting.Api.Hosting;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Runs one backtest with the lifecycle rules of <see cref="TrainingRunExecutor"/>: the row is the record of
/// truth; it is marked running, the rolling-origin loop runs in memory (progress written at most every
/// 250 ms), and metrics, forecasts and success are written in one SaveChanges. Cancellation (interrupt or
/// flag) ends it as cancelled with nothing written; a failure ends it as failed with a sentence.
/// </summary>
public sealed class BacktestExecutor(
    IServiceScopeFactory scopes, ModelKindRegistry kinds, TimeProvider clock, ILogger<BacktestExecutor> logger)
{
    public async Task ExecuteAsync(Guid id, CancellationToken interrupted)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["BacktestId"] = id });
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var backtest = await db.Backtests.FirstOrDefaultAsync(b => b.Id == id, CancellationToken.None);
        if (backtest is null || TrainingRunStatus.IsFinished(backtest.Status)) return;
        if (backtest.CancelRequested)
        {
            await FinishAsync(db, backtest, TrainingRunStatus.Cancelled, "Cancelled before it started.");
            return;
        }
        if (backtest.Attempts >= TrainingRunExecutor.MaxAttempts)
        {
            await FinishAsync(db, backtest, TrainingRunStatus.Failed,
                $"The worker stopped during this backtest {backtest.Attempts} times; it was given up. Submit it again over a shorter period or with a larger refitEvery.");
            return;
        }
        backtest.Status = TrainingRunStatus.Running;
        backtest.Attempts++;
        backtest.StartedAt = clock.GetUtcNow();
        backtest.Done = 0;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Backtest {BacktestId} started (attempt {Attempt})", id, backtest.Attempts);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        var progress = new BacktestProgressWriter(scopes, id, cancel, clock);
        try
        {
            var request = ApiJson.Deserialize<BacktestRequest>(backtest.SpecJson);
            var kind = kinds.Get(request.Model.Kind);
            var store = scope.ServiceProvider.GetRequiredService<DatasetStore>();
            var frame = await store.LoadAsync(request.DatasetId, request.Series, null, cancel.Token)
                ?? throw new TrainingRunException("The dataset was deleted before the backtest started.");

            var watch = Stopwatch.StartNew();
            progress.Start();
            var result = await Task.Run(() => Backtester.Run(kind, frame, request, progress, cancel.Token), cancel.Token);
            watch.Stop();
            cancel.Token.ThrowIfCancellationRequested();

            await db.Entry(backtest).ReloadAsync(CancellationToken.None);
            if (backtest.CancelRequested) throw new OperationCanceledException();
            backtest.Done = backtest.Total;
            backtest.MetricsJson = result.Metrics is null ? null : ApiJson.Serialize(result.Metrics);
            backtest.ForecastsJson = ApiJson.Serialize(result.Forecasts);
            backtest.Status = TrainingRunStatus.Succeeded;
            backtest.FinishedAt = clock.GetUtcNow();
            backtest.Error = null;
            // One SaveChanges: results and success appear together or not at all.
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("Backtest {BacktestId} succeeded in {Seconds:0.000} s: {Count} forecasts", id, watch.Elapsed.TotalSeconds, result.Forecasts.Count);
        }
        catch (OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            backtest = await db.Backtests.FirstAsync(b => b.Id == id, CancellationToken.None);
            if (backtest.CancelRequested)
            {
                await FinishAsync(db, backtest, TrainingRunStatus.Cancelled, "Cancelled by request.");
            }
            else
            {
                // Interrupted by the worker shutting down: back to the queue, run again from the start on the next start.
                backtest.Status = TrainingRunStatus.Queued;
                await db.SaveChangesAsync(CancellationToken.None);
                logger.LogWarning("Backtest {BacktestId} interrupted by shutdown; it will run again when the worker restarts", id);
            }
        }
        catch (Exception e)
        {
            var message = JobFailure.Describe(e, "backtest", id);
            logger.LogWarning(e, "Backtest {BacktestId} failed: {Message}", id, message);
            db.ChangeTracker.Clear();
            backtest = await db.Backtests.FirstAsync(b => b.Id == id, CancellationToken.None);
            await FinishAsync(db, backtest, TrainingRunStatus.Failed, message);
        }
    }

    private async Task FinishAsync(ForecastingDbContext db, BacktestEntity backtest, string status, string message)
    {
        backtest.Status = status;
        backtest.Error = status == TrainingRunStatus.Failed ? message : null;
        backtest.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Backtest {BacktestId} {Status}: {Message}", backtest.Id, status, message);
    }
}
