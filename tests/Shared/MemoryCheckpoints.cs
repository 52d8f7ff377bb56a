using Forecasting.Training.Models;

namespace Forecasting.Tests.Shared;

/// <summary>Keeps the latest checkpoint in memory; optionally "crashes" (<see cref="SimulatedCrash"/>) right after saving one.</summary>
public sealed class MemoryCheckpoints(Func<int, bool> due) : ITrainingCheckpoints
{
    public TrainingCheckpoint? Latest { get; set; }
    public bool CrashAfterSave { get; init; }

    public bool IsDue(int epoch) => due(epoch);

    public void Save(TrainingCheckpoint checkpoint)
    {
        Latest = checkpoint with { State = (byte[])checkpoint.State.Clone() };
        if (CrashAfterSave) throw new SimulatedCrash();
    }

    public sealed class SimulatedCrash : Exception;
}
