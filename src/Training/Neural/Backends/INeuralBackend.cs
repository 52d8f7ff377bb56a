using Forecasting.Domain;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// An engine that trains a <see cref="Network"/>. The network is the exchange format: it is built (Keras
/// initialisation) and served by the managed engine, and a backend imports its weights, trains them with the
/// options' loss and optimiser, and writes the trained weights back into it under the same names and shapes
/// (docs/engine.md, tensor names). So windows, scaling, metrics, MC dropout and the stored safetensors model are
/// written once, and any host can serve a model whichever backend trained it. Training is
/// <c>backend.Fit(...)</c>: <see cref="Trainer"/>'s one epoch loop over the backend's <see cref="Open"/> session.
/// </summary>
public interface INeuralBackend
{
    /// <summary>Which backend this is, as a request and the model record name it: managed or torch.</summary>
    TrainingBackend Kind { get; }

    /// <summary>Null when this backend can train the architecture, else a sentence saying why not.</summary>
    string? Unsupported(NetworkSpec spec);

    /// <summary>Null when the backend can run on this host (libtorch loads, the device exists), else why not.</summary>
    string? Unavailable();

    /// <summary>
    /// Imports the network's weights into the backend and opens a training session over the data with the options'
    /// loss and optimiser. <see cref="Trainer.Fit(INeuralBackend, Network, SequenceData, SequenceData?, TrainerOptions, Action{EpochReport}?, CancellationToken, Models.ITrainingCheckpoints?)"/>
    /// runs the one epoch loop (sample order, validation, early stopping, checkpoints and resume, cancellation) over it.
    /// </summary>
    ITrainingSession Open(Network network, SequenceData train, SequenceData? valid, TrainerOptions options);

    /// <summary>Batched inference [count][outSteps][outFeatures] with the network's current weights.</summary>
    float[] Predict(Network network, SequenceData inputs);
}
