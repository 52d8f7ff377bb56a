using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Neural.Backends;

/// <summary>The managed engine (<see cref="ManagedTrainingSession"/>): every architecture, one core, no native code.</summary>
public sealed class ManagedNeuralBackend : INeuralBackend
{
    public const string BackendName = "managed";

    public string Name => BackendName;

    public string? Unsupported(NetworkSpec spec) => null;

    public string? Unavailable() => null;

    public ITrainingSession Open(Network network, SequenceData train, SequenceData? valid, TrainerOptions options) =>
        new ManagedTrainingSession(network, train, valid, options);

    public float[] Predict(Network network, SequenceData inputs) => network.Predict(inputs);
}
