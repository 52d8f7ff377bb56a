using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// The managed engine (<see cref="Trainer"/>): every architecture, no native code; one core, or data-parallel over
/// the batch on up to <see cref="NeuralBackendOptions.EffectiveManagedThreads"/> where the batch's work pays for it
/// (<see cref="ManagedThreadsRule"/>). The threads used and why are in the result.
/// </summary>
public sealed class ManagedNeuralBackend(NeuralBackendOptions options) : INeuralBackend
{
    public const string BackendName = "managed";

    public ManagedNeuralBackend() : this(new NeuralBackendOptions()) { }

    public string Name => BackendName;

    public string? Unsupported(NetworkSpec spec) => null;

    public string? Unavailable() => null;

    /// <summary>The threads this backend trains a network of this spec and batch size on, and why.</summary>
    public (int Threads, string Reason) Threads(NetworkSpec spec, int batchSize) =>
        ManagedThreadsRule.Choose(spec, batchSize, options.EffectiveManagedThreads);

    public TrainingResult Fit(Network network, SequenceData train, SequenceData? valid, TrainerOptions trainerOptions,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default, Models.ITrainingCheckpoints? checkpoints = null)
    {
        var (threads, reason) = network.Spec is { } spec ? Threads(spec, trainerOptions.BatchSize) : (1, "the network has no spec to slice by");
        var result = Trainer.Fit(network, train, valid, trainerOptions with { Threads = threads }, onEpoch, cancellationToken, checkpoints);
        return result with { ThreadsChoice = reason };
    }

    public float[] Predict(Network network, SequenceData inputs) => network.Predict(inputs);
}
