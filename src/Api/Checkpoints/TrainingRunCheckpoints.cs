using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;

namespace Forecasting.Api.Checkpoints;

/// <summary>One training run's checkpoints in the <see cref="CheckpointStore"/>, saved at the configured cadence.</summary>
public sealed class TrainingRunCheckpoints(CheckpointStore store, Guid runId, TrainingCheckpoint? latest, CheckpointOptions options, TimeProvider clock)
    : ITrainingCheckpoints
{
    private readonly CheckpointCadence _cadence = new(options, clock, latest?.Epoch ?? 0);

    public TrainingCheckpoint? Latest { get; } = latest;

    public bool IsDue(int epoch) => _cadence.IsDue(epoch);

    public void Save(TrainingCheckpoint checkpoint)
    {
        store.Save(runId, CheckpointKind.TrainingRun, checkpoint.Epoch, checkpoint.State);
        _cadence.Saved(checkpoint.Epoch);
    }
}
