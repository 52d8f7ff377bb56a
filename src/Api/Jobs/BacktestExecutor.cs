using System.Diagnostics;
using Forecasting.Api.Backtests;
using Forecasting.Api.Checkpoints;
using Forecasting.Api.Hosting;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Runs one backtest with the lifecycle rules of <see cref="TrainingRunExecutor"/>: the row is the record of
/// truth; it is marked running, the rolling-origin loop runs in memory (progress written at most every
/// 250 ms, completed origins checkpointed at the configured cadence so a taken-over backtest continues after them), and metrics, forecasts and success are written in one SaveChanges. Cancellation (interrupt or
/// flag) ends it as cancelled with nothing written; a failure ends it as failed with a sentence.
/// </summary>
public sealed class BacktestExecutor(
    IServiceScopeFactory scopes, ModelKindRegistry kinds, CheckpointStore checkpoints, IOptions<CheckpointOptions> checkpointOptions,
    TimeProvider clock, ILogger<BacktestExecutor> logger) : JobExecutor<BacktestEntity>
{
    public override JobKind Kind => JobKind.Backtest;

    public override async Task ExecuteAsync(Guid id, string dispatchId, CancellationToken interrupted)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["BacktestId"] = id });
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var lifecycle = new JobLifecycle<BacktestEntity>(db, clock, logger, "backtest");
        // An earlier attempt's checkpoint: continue after its completed origins.
        var saved = await checkpoints.FindAsync(id, CancellationToken.None);
        var resume = saved is null ? null : BacktestCheckpoint.FromBytes(saved.State);
        if (saved is not null && resume is null) logger.LogWarning("Backtest {BacktestId}: its checkpoint cannot be read; starting from the first origin", id);
        var backtest = await lifecycle.StartAsync(id, dispatchId, "Submit it again over a shorter period or with a larger refitEvery.", b =>
        {
            b.Done = resume?.Done ?? 0;
            b.ResumedFrom = resume?.Done;
        });
        if (backtest is null)
        {
            await checkpoints.DeleteIfFinishedAsync<BacktestEntity>(id);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        var progress = new JobProgressWriter<BacktestEntity, int>(scopes, id, clock, (row, done) => row.SetProperty(b => b.Done, done));
        try
        {
            var request = ApiJson.Deserialize<BacktestRequest>(backtest.SpecJson);
            var kind = kinds.Get(request.Model.Kind);
            var store = scope.ServiceProvider.GetRequiredService<DatasetStore>();
            var frame = await store.LoadAsync(request.DatasetId, request.Series, null, cancel.Token)
                ?? throw new TrainingRunException("The dataset was deleted before the backtest started.");

            var watch = Stopwatch.StartNew();
            progress.DelayFirstWrite();
            var cadence = new CheckpointCadence(checkpointOptions.Value, clock, resume?.Done ?? 0);
            void Completed(int done, IReadOnlyList<BacktestForecast> forecasts)
            {
                if (done == backtest.Total || !cadence.IsDue(done)) return;
                checkpoints.Save(id, CheckpointKind.Backtest, done, new BacktestCheckpoint(done, forecasts).ToBytes());
                cadence.Saved(done);
            }
            if (resume is not null) logger.LogInformation("Backtest {BacktestId} resumes after {Done} of {Total} origins", id, resume.Done, backtest.Total);
            var result = await Task.Run(() => Backtester.Run(kind, frame, request, progress, cancel.Token, resume, Completed), cancel.Token);
            watch.Stop();
            cancel.Token.ThrowIfCancellationRequested();

            await db.Entry(backtest).ReloadAsync(CancellationToken.None);
            if (backtest.CancelRequested) throw new OperationCanceledException();
            backtest.Done = backtest.Total;
            backtest.MetricsJson = result.Metrics is null ? null : ApiJson.Serialize(result.Metrics);
            backtest.ForecastsJson = ApiJson.Serialize(result.Forecasts);
            // One transaction: results and success appear together or not at all, and the checkpoint goes with them.
            await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
            {
                await lifecycle.SucceedAsync(backtest);
                await db.Checkpoints.Where(c => c.JobId == id).ExecuteDeleteAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            logger.LogInformation("Backtest {BacktestId} succeeded in {Seconds:0.000} s: {Count} forecasts", id, watch.Elapsed.TotalSeconds, result.Forecasts.Count);
        }
        catch (OperationCanceledException)
        {
            await lifecycle.StoppedAsync(id);
        }
        catch (Exception e)
        {
            await lifecycle.FailedAsync(id, e);
        }
        await checkpoints.DeleteIfFinishedAsync<BacktestEntity>(id);
    }
}
