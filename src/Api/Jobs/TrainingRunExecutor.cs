using System.Diagnostics;
using Forecasting.Api.Hosting;
using Forecasting.Api.Schedules;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Runs one training run: marks it running, trains, and publishes the model and the run's success in one
/// transaction, so a model is visible only when complete. Cancellation (the cancel endpoint's interrupt or
/// its flag, polled with progress) ends the run as cancelled with nothing written; a failure ends it as
/// failed with a sentence the user can act on.
/// </summary>
public sealed class TrainingRunExecutor(
    IServiceScopeFactory scopes, ModelKindRegistry kinds, SchedulePromotion promotion, TimeProvider clock, ILogger<TrainingRunExecutor> logger)
{
    /// <summary>A run restarted this many times (each start after a crash counts) is given up as failed.</summary>
    public const int MaxAttempts = 3;

    public async Task ExecuteAsync(Guid runId, CancellationToken interrupted)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        var run = await db.TrainingRuns.FirstOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
        if (run is null || TrainingRunStatus.IsFinished(run.Status)) return;
        if (run.CancelRequested)
        {
            await FinishAsync(db, run, TrainingRunStatus.Cancelled, "Cancelled before it started.");
            return;
        }
        if (run.Attempts >= MaxAttempts)
        {
            await FinishAsync(db, run, TrainingRunStatus.Failed,
                $"The worker stopped during this run {run.Attempts} times; it was given up. Submit it again, or with fewer epochs or a smaller model.");
            return;
        }
        run.Status = TrainingRunStatus.Running;
        run.Attempts++;
        run.StartedAt = clock.GetUtcNow();
        run.Epoch = 0;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Training run {RunId} started (attempt {Attempt})", runId, run.Attempts);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        var progress = new RunProgressWriter(scopes, runId, cancel, clock);
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
            var trained = await Task.Run(() => kind.Train(new TrainingInput(frame, spec, periods), progress, cancel.Token), cancel.Token);
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
                MetricsJson = ApiJson.Serialize(new ModelMetrics(trained.Validation, trained.Test)),
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
            run.Status = TrainingRunStatus.Succeeded;
            run.FinishedAt = clock.GetUtcNow();
            run.Error = null;
            if (run.ScheduleId is { } scheduleId) await PromoteAsync(db, scheduleId, run.Id, model);
            // One SaveChanges is one transaction: the model, the run's success (and its schedule's promotion decision) appear together or not at all.
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("Training run {RunId} succeeded in {Seconds:0.00} s: model {ModelId}", runId, model.TrainingSeconds, model.Id);
        }
        catch (OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            run = await db.TrainingRuns.FirstAsync(r => r.Id == runId, CancellationToken.None);
            if (run.CancelRequested)
            {
                await FinishAsync(db, run, TrainingRunStatus.Cancelled, "Cancelled by request.");
            }
            else
            {
                // Interrupted by the worker shutting down: back to the queue, resumed from the start on the next start.
                run.Status = TrainingRunStatus.Queued;
                await db.SaveChangesAsync(CancellationToken.None);
                logger.LogWarning("Training run {RunId} interrupted by shutdown; it will run again when the worker restarts", runId);
            }
        }
        catch (Exception e)
        {
            var message = JobFailure.Describe(e, "training run", runId);
            logger.LogWarning(e, "Training run {RunId} failed: {Message}", runId, message);
            db.ChangeTracker.Clear();
            run = await db.TrainingRuns.FirstAsync(r => r.Id == runId, CancellationToken.None);
            await FinishAsync(db, run, TrainingRunStatus.Failed, message);
        }
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

    private async Task FinishAsync(ForecastingDbContext db, TrainingRunEntity run, string status, string message)
    {
        run.Status = status;
        run.Error = status == TrainingRunStatus.Failed ? message : null;
        run.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Training run {RunId} {Status}: {Message}", run.Id, status, message);
    }
}

/// <summary>Validation and test metrics as stored with a model.</summary>
public sealed record ModelMetrics(MetricSet? Validation, MetricSet? Test);

/// <summary>A failure whose message is already a sentence for the user.</summary>
public sealed class TrainingRunException(string message) : Exception(message);
