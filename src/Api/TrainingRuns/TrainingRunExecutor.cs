using System.Diagnostics;
using Forecasting.Api.Checkpoints;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.Models;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Covariates;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// Runs one training run (the lifecycle is <see cref="JobExecutor{TRecord, TResume}"/>'s): trains, resuming from the
/// run's checkpoint when an earlier attempt left one, and publishes the model and the run's success in one
/// transaction, so a model is visible only when complete.
/// </summary>
public sealed class TrainingRunExecutor(
    IServiceScopeFactory scopes, ModelKindRegistry kinds, IEnumerable<ITrainingRunSucceededFilter> succeededFilters, CheckpointStore checkpoints,
    IOptions<CheckpointOptions> checkpointOptions, TimeProvider clock, ILogger<TrainingRunExecutor> logger)
    : JobExecutor<TrainingRunEntity, TrainingCheckpoint>(scopes, checkpoints, clock, logger)
{
    public override JobKind Kind => JobKind.TrainingRun;
    protected override string Name => "training run";
    protected override string GivenUpAdvice => "Submit it again, or with fewer epochs or a smaller model.";

    // A run with a checkpoint was interrupted after it: this attempt resumes there (its progress starts at that epoch).
    protected override TrainingCheckpoint ReadCheckpoint(Guid id, CheckpointEntity saved) => new(saved.Step, saved.State);

    protected override void Starting(TrainingRunEntity row, TrainingCheckpoint? resume)
    {
        row.Epoch = resume?.Epoch ?? 0;
        row.ResumedFromEpoch = resume?.Epoch;
    }

    protected override async Task RunAsync(JobAttempt<TrainingRunEntity, TrainingCheckpoint> attempt)
    {
        var (run, resume, db, cancel) = (attempt.Row, attempt.Resume, attempt.Db, attempt.Cancel);
        var progress = new JobProgressWriter<TrainingRunEntity, EpochProgress>(Scopes, run.Id, Clock, (row, p) => row
            .SetProperty(r => r.Epoch, p.Epoch)
            .SetProperty(r => r.Epochs, p.Epochs)
            .SetProperty(r => r.TrainLoss, double.IsFinite(p.TrainLoss) ? p.TrainLoss : null)
            .SetProperty(r => r.ValidMae, p.ValidMae is { } mae && double.IsFinite(mae) ? mae : null));
        var spec = ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson);
        var kind = kinds.Get(spec.Model.Kind);
        var store = attempt.Services.GetRequiredService<DatasetStore>();
        var frame = await store.LoadAsync(spec.DatasetId, spec.Series, null, cancel)
            ?? throw new UserInputException("The dataset was deleted before the run started.");
        frame = GeneratedColumns.AddTo(frame, spec.Calendar, spec.Holidays);
        // The model records the bounds it serves: the request's, or its targets' columns'.
        spec = spec.WithDeclaredBounds(frame);
        var (periods, splitErrors) = SplitResolver.Resolve(spec.Split, frame.Frequency, frame.Series);
        if (splitErrors.Count > 0) throw new UserInputException(string.Join(" ", splitErrors.Select(e => $"{e.Field}: {e.Message}")));
        var errors = kind.Validate(spec, frame, periods).ToList();
        if (errors.Count > 0) throw new UserInputException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")));

        // A warm start reads the stored model it starts from; deleted since the request was accepted, the run cannot start.
        var initialState = spec.Training?.InitFromModelId is { } initFrom
            ? await db.Models.AsNoTracking().Where(m => m.Id == initFrom).Select(m => m.State).FirstOrDefaultAsync(cancel)
              ?? throw new UserInputException($"training.initFromModelId: model '{initFrom}' was deleted before the run started.")
            : null;
        var watch = Stopwatch.StartNew();
        TrainedModel Train(TrainingCheckpoint? from) => kind.Train(new TrainingInput(frame, spec, periods)
        {
            InitialState = initialState,
            // Only a kind that can continue from saved weights gets checkpoints to write and resume from.
            Checkpoints = kind.Traits.WarmStart ? new TrainingRunCheckpoints(Checkpoints, run.Id, from, checkpointOptions.Value, Clock) : null,
        }, progress, cancel);
        if (resume is not null) logger.LogInformation("Training run {RunId} resumes from its checkpoint after epoch {Epoch}", run.Id, resume.Epoch);
        var trained = await Task.Run(() =>
        {
            try
            {
                return Train(resume);
            }
            catch (CheckpointMismatchException e) when (resume is not null)
            {
                // Written by another version of the engine: restarting is always correct, only slower.
                logger.LogWarning(e, "Training run {RunId}: its checkpoint cannot be resumed ({Reason}); training from the start", run.Id, e.Message);
                ForgetResume(run.Id);
                return Train(null);
            }
        }, cancel);
        watch.Stop();
        progress.Flush();
        cancel.ThrowIfCancellationRequested();

        await ThrowIfCancelRequestedAsync(attempt);
        // A global model (no per-series outcomes of its own) fitted every series with a training period.
        var outcomes = trained.Outcomes ?? [.. frame.Series.Where(s => !periods[s.Id].Train.IsEmpty)
            .SelectMany(s => spec.Targets.Select(t => new SeriesOutcome(s.Id, t, SeriesStatus.Fitted, kind.Name, null)))];
        // A series skipped for every target has no validation forecasts: it is not in the model's validation scope.
        var skipped = outcomes.GroupBy(o => o.Series).Where(g => g.All(o => o.Status == SeriesStatus.Skipped)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        // A model that can be stored per series keeps each fit on its series' row (forecasting a few series reads only
        // theirs) and in its own state only what the series share.
        var perSeries = trained.Model as ISeriesStateModel;
        var states = perSeries?.SaveSeriesStates().ToDictionary(s => (s.Series, s.Target), s => s.State);
        var model = new ModelEntity
        {
            Id = Guid.NewGuid(),
            TrainingRunId = run.Id,
            DatasetId = spec.DatasetId,
            Kind = kind.Name,
            SpecJson = ApiJson.Serialize(spec),
            MetricsJson = ApiJson.Serialize(new ModelMetrics(trained.Validation, trained.Test, trained.Calibration, ValidationScope.Of(spec.DatasetId, frame, periods, skipped))),
            HistoryJson = ApiJson.Serialize(trained.History),
            DetailsJson = trained.Details is null ? null : ApiJson.Serialize(trained.Details),
            ParameterCount = trained.ParameterCount,
            TrainingSeconds = watch.Elapsed.TotalSeconds,
            StateFormat = perSeries?.SeriesStateFormat ?? trained.Model.StateFormat,
            State = perSeries?.SaveSharedState() ?? trained.Model.SaveState(),
            CreatedAt = Clock.GetUtcNow(),
            DataEndsJson = ModelDataEnds.Serialize(frame),
        };
        db.Models.Add(model);
        db.ModelSeries.AddRange(outcomes.Select(o => new ModelSeriesEntity
            {
                ModelId = model.Id, SeriesId = o.Series, Target = o.Target, Status = o.Status, Method = o.Method, Reason = o.Reason,
                State = states?.GetValueOrDefault((o.Series, o.Target)),
            }));
        run.ModelId = model.Id;
        // One validation MAE per run: the model's (metrics.validation.mae), which the schedule's decision and the
        // leaderboard read too. The per-epoch figure progress showed while training measures other windows (see
        // TrainingRunProgress); the finished run reports the model's.
        run.ValidMae = trained.Validation?.Mae;
        // Saved with the model and the run's success.
        await RunSucceededFiltersAsync(db, run, model);
        await SucceedAsync(attempt);
        logger.LogInformation("Training run {RunId} succeeded in {Seconds:0.00} s: model {ModelId} ({Fitted} fitted, {Fallback} fallback, {Skipped} skipped)",
            run.Id, model.TrainingSeconds, model.Id, outcomes.Count(o => o.Status == SeriesStatus.Fitted), outcomes.Count(o => o.Status == SeriesStatus.Fallback),
            outcomes.Count(o => o.Status == SeriesStatus.Skipped));
    }

    /// <summary>Drops an unusable checkpoint and the row's claim to have resumed from it.</summary>
    private void ForgetResume(Guid runId)
    {
        Checkpoints.Delete(runId);
        using var scope = Scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ForecastingDbContext>().TrainingRuns.Where(r => r.Id == runId)
            .ExecuteUpdate(u => u.SetProperty(r => r.ResumedFromEpoch, (int?)null).SetProperty(r => r.Epoch, 0));
    }

    /// <summary>The success filters (a schedule's promotion); what they change is saved with the run, and none can fail it.</summary>
    private async Task RunSucceededFiltersAsync(ForecastingDbContext db, TrainingRunEntity run, ModelEntity model)
    {
        foreach (var filter in succeededFilters)
        {
            try
            {
                await filter.OnSucceededAsync(db, run, model, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Training run {RunId}: {Filter} failed on its success; the run succeeds without it", run.Id, filter.GetType().Name);
            }
        }
    }
}
