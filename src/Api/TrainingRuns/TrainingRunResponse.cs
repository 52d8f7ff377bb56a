using Forecasting.Api.Hosting;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.TrainingRuns;

/// <summary>The latest epoch; <c>resumedFromEpoch</c>: the checkpoint's epoch this attempt resumed after (null: started from scratch).</summary>
public sealed record TrainingRunProgress(int Epoch, int Epochs, double? TrainLoss, double? ValidMae, int? ResumedFromEpoch);

/// <summary>A training run as clients see it.</summary>
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
    Guid? ScheduleId)
{
    public static TrainingRunResponse From(TrainingRunEntity run) => new(
        run.Id, run.Status, run.DatasetId, new TrainingRunProgress(run.Epoch, run.Epochs, run.TrainLoss, run.ValidMae, run.ResumedFromEpoch),
        run.Error, run.ModelId, run.Attempts, run.CancelRequested, run.CreatedAt, run.StartedAt, run.FinishedAt,
        ApiJson.Deserialize<TrainingRunSpec>(run.SpecJson), run.ScheduleId);
}

/// <summary>The 202 answer to a queued run.</summary>
public sealed record TrainingRunQueued(Guid Id, string Status);
