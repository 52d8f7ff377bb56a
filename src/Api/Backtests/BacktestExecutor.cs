using System.Diagnostics;
using Forecasting.Api.Checkpoints;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Backtests;

/// <summary>
/// Runs one backtest (the lifecycle is <see cref="JobExecutor{TRecord, TResume}"/>'s): the rolling-origin loop runs in
/// memory, completed origins are checkpointed at the configured cadence so a taken-over backtest continues after
/// them, and metrics, forecasts and success are written in one transaction.
/// </summary>
public sealed class BacktestExecutor(
    IServiceScopeFactory scopes, ModelKindRegistry kinds, CheckpointStore checkpoints, IOptions<CheckpointOptions> checkpointOptions,
    TimeProvider clock, ILogger<BacktestExecutor> logger)
    : JobExecutor<BacktestEntity, BacktestCheckpoint>(scopes, checkpoints, clock, logger)
{
    public override JobKind Kind => JobKind.Backtest;
    protected override string Name => "backtest";
    protected override string GivenUpAdvice => "Submit it again over a shorter period or with a larger refitEvery.";

    // An earlier attempt's checkpoint: continue after its completed origins.
    protected override BacktestCheckpoint? ReadCheckpoint(Guid id, CheckpointEntity saved)
    {
        var resume = BacktestCheckpoint.FromBytes(saved.State);
        if (resume is null) logger.LogWarning("Backtest {BacktestId}: its checkpoint cannot be read; starting from the first origin", id);
        return resume;
    }

    protected override void Starting(BacktestEntity row, BacktestCheckpoint? resume)
    {
        row.Done = resume?.Done ?? 0;
        row.ResumedFrom = resume?.Done;
    }

    protected override async Task RunAsync(JobAttempt<BacktestEntity, BacktestCheckpoint> attempt)
    {
        var (backtest, resume, cancel) = (attempt.Row, attempt.Resume, attempt.Cancel);
        var progress = new JobProgressWriter<BacktestEntity, int>(Scopes, backtest.Id, Clock, (row, done) => row.SetProperty(b => b.Done, done));
        var request = ApiJson.Deserialize<BacktestRequest>(backtest.SpecJson);
        var kind = kinds.Get(request.Model.Kind);
        var store = attempt.Services.GetRequiredService<DatasetStore>();
        var frame = await store.LoadAsync(request.DatasetId, request.Series, null, cancel)
            ?? throw new UserInputException("The dataset was deleted before the backtest started.");

        var watch = Stopwatch.StartNew();
        // A short backtest writes its progress only with its results.
        progress.DelayFirstWrite();
        var cadence = new CheckpointCadence(checkpointOptions.Value, Clock, resume?.Done ?? 0);
        void Completed(int done, IReadOnlyList<BacktestForecast> forecasts, IReadOnlyList<BacktestSkip> skipped)
        {
            if (done == backtest.Total || !cadence.IsDue(done)) return;
            Checkpoints.Save(backtest.Id, CheckpointKind.Backtest, done, new BacktestCheckpoint(done, forecasts, skipped).ToBytes());
            cadence.Saved(done);
        }
        if (resume is not null) logger.LogInformation("Backtest {BacktestId} resumes after {Done} of {Total} origins", backtest.Id, resume.Done, backtest.Total);
        var result = await Task.Run(() => Backtester.Run(kind, frame, request, progress, cancel, resume, Completed), cancel);
        watch.Stop();
        cancel.ThrowIfCancellationRequested();

        await ThrowIfCancelRequestedAsync(attempt);
        backtest.Done = backtest.Total;
        backtest.MetricsJson = result.Metrics is null ? null : ApiJson.Serialize(result.Metrics);
        backtest.ForecastsJson = ApiJson.Serialize(result.Forecasts);
        backtest.SkippedJson = result.Skipped.Count == 0 ? null : ApiJson.Serialize(result.Skipped);
        await SucceedAsync(attempt);
        logger.LogInformation("Backtest {BacktestId} succeeded in {Seconds:0.000} s: {Count} forecasts", backtest.Id, watch.Elapsed.TotalSeconds, result.Forecasts.Count);
    }
}
