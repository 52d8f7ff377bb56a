namespace Forecasting.Training.Models;

/// <summary>
/// Where a training loop resumes from and saves its checkpoints (the service: the run's row in the checkpoints
/// table). A loop that supports resuming starts from <see cref="Latest"/> when there is one, asks
/// <see cref="IsDue"/> after every epoch and, when due, hands <see cref="Save"/> its state.
/// </summary>
public interface ITrainingCheckpoints
{
    /// <summary>The checkpoint of an interrupted earlier attempt, or null to start from scratch.</summary>
    TrainingCheckpoint? Latest { get; }

    /// <summary>Whether to save after this epoch (the cadence: seconds or epochs since the last save).</summary>
    bool IsDue(int epoch);

    /// <summary>Stores the checkpoint durably, replacing the previous one, before training goes on.</summary>
    void Save(TrainingCheckpoint checkpoint);
}
