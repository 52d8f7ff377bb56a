using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// An engine that trains a <see cref="Network"/>. The network is the exchange format: it is built (Keras
/// initialisation) and served by the managed engine, and a backend imports its weights, trains them with the
/// options' loss and optimiser, and writes the trained weights back into it under the same names and shapes
/// (docs/engine.md, tensor names). So windows, scaling, metrics, MC dropout and the stored safetensors model are
/// written once, and any host can serve a model whichever backend trained it.
/// </summary>
public interface INeuralBackend
{
    /// <summary>The name a request and the model record: "managed" or "torch".</summary>
    string Name { get; }

    /// <summary>Null when this backend can train the architecture, else a sentence saying why not.</summary>
    string? Unsupported(NetworkSpec spec);

    /// <summary>Null when the backend can run on this host (libtorch loads, the device exists), else why not.</summary>
    string? Unavailable();

    /// <summary>
    /// Trains the network's weights in place: per-epoch reports (validation measured after every epoch), early
    /// stopping on validation MAE with best-weight restore, cancellation checked before every batch.
    /// <paramref name="checkpoints"/>: where to resume from and save to; a backend that cannot resume a checkpoint
    /// throws <see cref="Models.CheckpointMismatchException"/> before training, and the run starts over.
    /// </summary>
    TrainingResult Fit(Network network, SequenceData train, SequenceData? valid, TrainerOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default, Models.ITrainingCheckpoints? checkpoints = null);

    /// <summary>Batched inference [count][outSteps][outFeatures] with the network's current weights.</summary>
    float[] Predict(Network network, SequenceData inputs);
}
