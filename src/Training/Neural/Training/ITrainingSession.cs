using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Neural.Training;

/// <summary>
/// One backend's side of <see cref="Trainer.Fit(Backends.INeuralBackend, Network, SequenceData, SequenceData?, TrainerOptions, Action{EpochReport}?, CancellationToken, Models.ITrainingCheckpoints?)"/>:
/// a network's copy in the backend's own form with its optimiser, opened over the training and validation data.
/// The epoch loop (sample order, validation, early stopping, checkpoints, cancellation) is written once and calls
/// these. Weights, best weights and optimiser slots cross the seam in the managed layout: one float32 array per
/// parameter of the managed <see cref="Network"/>, in <see cref="Network.Parameters"/> order.
/// </summary>
public interface ITrainingSession : IDisposable
{
    /// <summary>
    /// One optimiser step on the training samples <c>order[offset..offset + count]</c>; returns their mean loss.
    /// <paramref name="random"/> is the loop's generator (it also shuffles, and the checkpoint keeps it): the managed
    /// engine draws its dropout masks from it on one thread. <paramref name="batchKey"/> (from the seed, epoch and batch)
    /// seeds the masks where one sequential generator cannot serve: the managed data-parallel step's slices, and
    /// torch's own generator. So no backend keeps random state of its own.
    /// </summary>
    double TrainBatch(int[] order, int offset, int count, Random random, ulong batchKey);

    /// <summary>CPU threads this session trains on (1 on a GPU), and why, for the model's details.</summary>
    int Threads { get; }

    string? ThreadsChoice { get; }

    /// <summary>Loss, MAE, MSE and last-step MSE/MAE on the validation data, in inference mode.</summary>
    Evaluation Evaluate(CancellationToken cancellationToken);

    /// <summary>The current weights, into <paramref name="into"/> when given (same layout), else into new arrays.</summary>
    float[][] CopyWeights(float[][]? into = null);

    void RestoreWeights(float[][] weights);

    OptimizerState SaveOptimizer();

    /// <summary>Continues from a <see cref="SaveOptimizer"/>; <see cref="InvalidDataException"/> when it does not fit.</summary>
    void RestoreOptimizer(OptimizerState state);

    /// <summary>Writes the session's weights into the managed network, which is what is stored and served.</summary>
    void Complete();
}
