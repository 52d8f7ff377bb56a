using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// A run's progress. <c>steps</c> says what <c>epoch</c>/<c>epochs</c> count: "epochs" for neural kinds, "fits"
/// (one per series and target) for statistical ones. <c>trainLoss</c> is the neural training loss on the scaled
/// values the network sees (absent for statistical kinds). <c>validMae</c> is in the data's units: once the run has
/// succeeded it is the model's validation MAE (<c>metrics.validation.mae</c>, the figure schedules and the leaderboard
/// use); while a neural run trains it is the last epoch's early-stopping MAE, measured on the training windows whose
/// targets lie in the validation period, which is not the model's figure. <c>resumedFromEpoch</c>: the checkpoint's
/// epoch this attempt resumed after (null: started from scratch).
/// </summary>
public sealed record TrainingRunProgress(string Steps, int Epoch, int Epochs, double? TrainLoss, double? ValidMae, int? ResumedFromEpoch);

/// <summary>A training run as clients see it; a scheduled run that succeeded carries its schedule's promotion <c>decision</c>.</summary>
public sealed record TrainingRunResponse(
    Guid Id,
    string Status,
    Guid DatasetId,
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
    public static TrainingRunResponse From(TrainingRunEntity run, ModelKindRegistry kinds)
    {
        var spec = ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson);
        var steps = kinds.Find(run.Kind)?.Traits.Family == ModelFamily.Statistical ? "fits" : "epochs";
        return new(run.Id, run.Status.ToWire(), run.DatasetId, new TrainingRunProgress(steps, run.Epoch, run.Epochs, run.TrainLoss, run.ValidMae, run.ResumedFromEpoch),
            run.Error, run.ModelId, run.Attempts, run.CancelRequested, run.CreatedAt, run.StartedAt, run.FinishedAt, spec, run.ScheduleId,
            run.PromotionDecisionJson is null ? null : ApiJson.Deserialize<PromotionDecision>(run.PromotionDecisionJson));
    }
}

/// <summary>The 202 answer to a queued run.</summary>
public sealed record TrainingRunQueued(Guid Id, string Status);
