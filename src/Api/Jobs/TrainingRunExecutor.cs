using System.Diagnostics;
using Forecasting.Api.Checkpoints;
using Forecasting.Api.Hosting;
using Forecasting.Api.Schedules;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Runs one training run: marks it running, trains (resuming from the run's checkpoint when an earlier attempt
/// left one), and publishes the model and the run's success in one transaction, so a model is visible only when
/// complete. Cancellation (the worker stopping, or the row's cancel flag seen by <see cref="JobCancelWatch"/>) ends the run as cancelled with nothing written; a failure ends it as
/// failed with a sentence the user can act on.
/// </summary>
public sealed class TrainingRunExecutor(
    IServiceScopeFactory scopes, ModelKindRegistry kinds, SchedulePromotion promotion, CheckpointStore checkpoints,
    IOptions<CheckpointOptions> checkpointOptions, TimeProvider clock, ILogger<TrainingRunExecutor> logger) : JobExecutor<TrainingRunEntity>
{
    public override JobKind Kind => JobKind.TrainingRun;

    public override async Task ExecuteAsync(Guid runId, string dispatchId, CancellationToken interrupted)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var lifecycle = new JobLifecycle<TrainingRunEntity>(db, clock, logger, "training run");
        // A run with a checkpoint was interrupted after it: this attempt resumes there (its progress starts at that epoch).
        var saved = await checkpoints.FindAsync(runId, CancellationToken.None);
        var resume = saved is null ? null : new TrainingCheckpoint(saved.Step, saved.State);
        var run = await lifecycle.StartAsync(runId, dispatchId, "Submit it again, or with fewer epochs or a smaller model.", r =>
        {
            r.Epoch = resume?.Epoch ?? 0;
            r.ResumedFromEpoch = resume?.Epoch;
        });
        if (run is null)
        {
            await checkpoints.DeleteIfFinishedAsync<TrainingRunEntity>(runId);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        var progress = new JobProgressWriter<TrainingRunEntity, EpochProgress>(scopes, runId, clock, (row, p) => row
            .SetProperty(r => r.Epoch, p.Epoch)
            .SetProperty(r => r.Epochs, p.Epochs)
            .SetProperty(r => r.TrainLoss, double.IsFinite(p.TrainLoss) ? p.TrainLoss : null)
            .SetProperty(r => r.ValidMae, p.ValidMae is { } mae && double.IsFinite(mae) ? mae : null));
        try
        {
            var spec = ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson);
            var kind = kinds.Get(spec.Model.Kind);
            var store = scope.ServiceProvider.GetRequiredService<DatasetStore>();
            var frame = await store.LoadAsync(spec.DatasetId, spec.Series, null, cancel.Token)
                ?? throw new TrainingRunException("The dataset was deleted before the run started.");
            var (periods, splitErrors) = SplitResolver.Resolve(spec.Split, frame.Frequency, frame.Series);
            if (splitErrors.Count > 0) throw new TrainingRunException(string.Join(" ", splitErrors.Select(e => $"{e.Field}: {e.Message}")));
            var errors = kind.Validate(spec, frame, periods).ToList();
            if (errors.Count > 0) throw new TrainingRunException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")));

            var watch = Stopwatch.StartNew();
            TrainedModel Train(TrainingCheckpoint? from) => kind.Train(new TrainingInput(frame, spec, periods)
            {
                Checkpoints = new TrainingRunCheckpoints(checkpoints, runId, from, checkpointOptions.Value, clock),
            }, progress, cancel.Token);
            if (resume is not null) logger.LogInformation("Training run {RunId} resumes from its checkpoint after epoch {Epoch}", runId, resume.Epoch);
            var trained = await Task.Run(() =>
            {
                try
                {
                    return Train(resume);
                }
                catch (CheckpointMismatchException e) when (resume is not null)
                {
                    // Written by another version of the engine: restarting is always correct, only slower.
                    logger.LogWarning(e, "Training run {RunId}: its checkpoint cannot be resumed ({Reason}); training from the start", runId, e.Message);
                    ForgetResume(runId);
                    return Train(null);
                }
            }, cancel.Token);
            watch.Stop();
            progress.Flush();
            cancel.Token.ThrowIfCancellationRequested();

            await db.Entry(run).ReloadAsync(CancellationToken.None);
            if (run.CancelRequested) throw new OperationCanceledException();
            var model = new ModelEntity
            {
                Id = Guid.NewGuid(),
                TrainingRunId = run.Id,
                DatasetId = spec.DatasetId,
                Kind = kind.Name,
                SpecJson = run.SpecJson,
                MetricsJson = ApiJson.Serialize(new ModelMetrics(trained.Validation, trained.Test, trained.Calibration)),
                HistoryJson = ApiJson.Serialize(trained.History),
                DetailsJson = trained.Details is null ? null : ApiJson.Serialize(trained.Details),
                ParameterCount = trained.ParameterCount,
                TrainingSeconds = watch.Elapsed.TotalSeconds,
                StateFormat = trained.Model.StateFormat,
                State = trained.Model.SaveState(),
                CreatedAt = clock.GetUtcNow(),
            };
            db.Models.Add(model);
            run.ModelId = model.Id;
            if (run.ScheduleId is { } scheduleId) await PromoteAsync(db, scheduleId, run.Id, model);
            // One transaction: the model, the run's success (and its schedule's promotion decision) appear together or not at all,
            // and the checkpoint goes with them.
            await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
            {
                await lifecycle.SucceedAsync(run);
                await db.Checkpoints.Where(c => c.JobId == runId).ExecuteDeleteAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            logger.LogInformation("Training run {RunId} succeeded in {Seconds:0.00} s: model {ModelId}", runId, model.TrainingSeconds, model.Id);
        }
        catch (OperationCanceledException)
        {
            await lifecycle.StoppedAsync(runId);
        }
        catch (Exception e)
        {
            await lifecycle.FailedAsync(runId, e);
        }
        await checkpoints.DeleteIfFinishedAsync<TrainingRunEntity>(runId);
    }

    /// <summary>Drops an unusable checkpoint and the row's claim to have resumed from it.</summary>
    private void ForgetResume(Guid runId)
    {
        checkpoints.Delete(runId);
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ForecastingDbContext>().TrainingRuns.Where(r => r.Id == runId)
            .ExecuteUpdate(u => u.SetProperty(r => r.ResumedFromEpoch, (int?)null).SetProperty(r => r.Epoch, 0));
    }

    /// <summary>Lets the run's schedule decide on promotion (saved with the run); the run succeeds whatever happens here.</summary>
    private async Task PromoteAsync(ForecastingDbContext db, Guid scheduleId, Guid runId, ModelEntity model)
    {
        try
        {
            await promotion.DecideAsync(db, scheduleId, runId, model, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Schedule {ScheduleId}: the promotion decision for run {RunId} failed; the active model is unchanged", scheduleId, runId);
        }
    }
}

/// <summary>Validation and test metrics as stored with a model, and where its conformal intervals were calibrated (null: not calibrated).</summary>
public sealed record ModelMetrics(MetricSet? Validation, MetricSet? Test, CalibrationReport? Calibration = null);

/// <summary>A failure whose message is already a sentence for the user.</summary>
public sealed class TrainingRunException(string message) : UserInputException(message);
