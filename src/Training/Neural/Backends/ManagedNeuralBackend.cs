using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Neural.Backends;

/// <summary>The managed engine (<see cref="Trainer"/>): every architecture, one core, no native code.</summary>
public sealed class ManagedNeuralBackend : INeuralBackend
{
    public const string BackendName = "managed";

    public string Name => BackendName;

    public string? Unsupported(NetworkSpec spec) => null;

    public string? Unavailable() => null;

    public TrainingResult Fit(Network network, SequenceData train, SequenceData? valid, TrainerOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default, Models.ITrainingCheckpoints? checkpoints = null) =>
        Trainer.Fit(network, train, valid, options, onEpoch, cancellationToken, checkpoints);

    public float[] Predict(Network network, SequenceData inputs) => network.Predict(inputs);
}
