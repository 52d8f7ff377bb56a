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
        var lifecycle = new JobLifecycle<BacktestEntity>(db, clock, logger, "backtest");
        var backtest = await lifecycle.StartAsync(id, "Submit it again over a shorter period or with a larger refitEvery.", b => b.Done = 0);
        if (backtest is null) return;

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
            // One SaveChanges: results and success appear together or not at all.
            await lifecycle.SucceedAsync(backtest);
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
    }
}
