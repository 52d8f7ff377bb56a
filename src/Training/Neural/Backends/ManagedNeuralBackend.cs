using Forecasting.Domain;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// The managed engine (<see cref="ManagedTrainingSession"/>): every architecture, no native code; one core, or
/// data-parallel over the batch on up to <see cref="TrainingOptions.EffectiveManagedThreads"/> where the batch's
/// work pays for it (<see cref="ManagedThreadsRule"/>). Without options (<see cref="Trainer.Fit(Network, SequenceData, SequenceData?, TrainerOptions, Action{EpochReport}?, CancellationToken, Models.ITrainingCheckpoints?)"/>)
/// it trains on exactly <see cref="TrainerOptions.Threads"/>. The threads used and why are in the result.
/// </summary>
public sealed class ManagedNeuralBackend(TrainingOptions? options = null) : INeuralBackend
{
    public TrainingBackend Kind => TrainingBackend.Managed;

    public string? Unsupported(NetworkSpec spec) => null;

    public string? Unavailable() => null;

    /// <summary>The threads this backend trains a network of this spec and batch size on, and why.</summary>
    public (int Threads, string Reason) Threads(NetworkSpec spec, int batchSize) =>
        ManagedThreadsRule.Choose(spec, batchSize, (options ?? new TrainingOptions()).EffectiveManagedThreads);

    public ITrainingSession Open(Network network, SequenceData train, SequenceData? valid, TrainerOptions trainerOptions)
    {
        if (options is null) return new ManagedTrainingSession(network, train, valid, trainerOptions);
        var (threads, reason) = network.Spec is { } spec ? Threads(spec, trainerOptions.BatchSize) : (1, "one thread: the network has no spec to slice by");
        return new ManagedTrainingSession(network, train, valid, trainerOptions with { Threads = threads }, reason);
    }

    public float[] Predict(Network network, SequenceData inputs) => network.Predict(inputs);
}
