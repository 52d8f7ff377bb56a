using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// A run's progress. <c>steps</c> says what <c>epoch</c>/<c>epochs</c> count: "epochs" for neural kinds, "fits"
/// (one per series and target, and one per backtest calibration window) for statistical ones; <c>epochs</c> is 0 until
/// the run starts and knows it (a request without <c>training.epochs</c>). <c>trainLoss</c> is the neural training loss
/// on the scaled values the network sees (absent for statistical kinds). <c>validMae</c> is in the data's units: once the
/// run has succeeded it is the model's validation MAE (<c>metrics.validation.mae</c>, the figure schedules and the
/// leaderboard use); while a neural run trains it is the last epoch's early-stopping MAE, measured on the training
/// windows whose targets lie in the validation period, which is not the model's figure. <c>resumedFromEpoch</c>: the
/// checkpoint's epoch this attempt resumed after (null: started from scratch). Statistical runs also give
/// <c>series</c> (how many it fits) and <c>seriesDone</c> (fits done over fits per series). <c>secondsLeft</c>: while
/// it runs, the mean time per step done so far times the steps left (null before the first step ends).
/// </summary>
public sealed record TrainingRunProgress(
    string Steps, int Epoch, int Epochs, double? TrainLoss, double? ValidMae, int? ResumedFromEpoch, int? Series, int? SeriesDone, double? SecondsLeft);

/// <summary>A training run as clients see it; a scheduled run that succeeded carries its schedule's promotion <c>decision</c>.</summary>
public sealed record TrainingRunResponse(
    Guid Id,
    string Status,
    Guid DatasetId,
    WorkQueue Queue,
    TrainingRunProgress Progress,
    string? Error,
    Guid? ModelId,
    int Attempts,
    bool CancelRequested,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    TrainingRunSpec Request,
    Guid? ScheduleId,
    PromotionDecision? Decision)
{
    public static TrainingRunResponse From(TrainingRunEntity run, ModelKindRegistry kinds, DateTimeOffset now)
    {
        var spec = ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson);
        var statistical = kinds.Find(run.Kind)?.Traits.Family == ModelFamily.Statistical;
        // A statistical run makes the same number of fits for every series it fits.
        var perSeries = statistical ? JobWork.RunFitsPerSeries(spec) : 0;
        int? series = perSeries > 0 && run.Epochs > 0 ? (int)(run.Epochs / perSeries) : null;
        int? seriesDone = series is null ? null : (int)(run.Epoch / perSeries);
        var progress = new TrainingRunProgress(statistical ? "fits" : "epochs", run.Epoch, run.Epochs, run.TrainLoss, run.ValidMae, run.ResumedFromEpoch,
            series, seriesDone, JobTimeLeft.Seconds(run, run.Epoch, run.Epochs, run.ResumedFromEpoch, now));
        return new(run.Id, run.Status.ToWire(), run.DatasetId, run.Queue, progress,
            run.Error, run.ModelId, run.Attempts, run.CancelRequested, run.CreatedAt, run.StartedAt, run.FinishedAt, spec, run.ScheduleId,
            run.PromotionDecisionJson is null ? null : ApiJson.Deserialize<PromotionDecision>(run.PromotionDecisionJson));
    }
}

/// <summary>The 202 answer to a queued run.</summary>
public sealed record TrainingRunQueued(Guid Id, string Status);
