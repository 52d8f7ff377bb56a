using Forecasting.Domain;

namespace Forecasting.Training.Neural.Training;

/// <summary>How <see cref="Trainer.Fit"/> trains. Defaults follow Keras (Adam, lr 0.001, batch 32).</summary>
public sealed record TrainerOptions
{
    public LossKind Loss { get; init; } = LossKind.Mse;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    public float LearningRate { get; init; } = 0.001f;
    public float Momentum { get; init; }
    public bool Nesterov { get; init; }
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 32;

    /// <summary>Early stopping on validation MAE after this many epochs without improvement; 0 or null = none.</summary>
    public int? Patience { get; init; }

    /// <summary>When early stopping ends training, put back the best epoch's weights.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    public int Seed { get; init; } = 42;

    /// <summary>Clip gradients by global norm; null = no clipping.</summary>
    public float? ClipNorm { get; init; }

    /// <summary>Validation MAE over all outputs (default) or only the last time step of a sequence output.</summary>
    public bool ValidMaeLastStepOnly { get; init; }

    /// <summary>Shuffle the training samples each epoch (Keras default).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// With <see cref="Shuffle"/>: null = a full Fisher–Yates reshuffle of all samples each epoch; n = tf.data's
    /// <c>Dataset.shuffle(n)</c> over the samples in their original (chronological) order, drawn anew each epoch:
    /// a buffer of n samples, so batches stay roughly in order, as the chapter's <c>to_seq2seq_dataset</c>
    /// (<c>shuffle(8 * batch_size)</c>). Keras' <c>timeseries_dataset_from_array(shuffle=True)</c> permutes once and
    /// then buffer-shuffles each epoch, which the full reshuffle stands in for.
    /// </summary>
    public int? ShuffleBuffer { get; init; }

    /// <summary>
    /// CPU threads for the batch step: 1 = the single-threaded loop; n ≥ 2 = data-parallel over the batch's lanes
    /// (<see cref="ParallelBatchStep"/>; at most one slice per lane vector), deterministic for a given n. A network
    /// with batch normalisation trains on one thread whatever this says (<see cref="TrainingResult.Threads"/>).
    /// </summary>
    public int Threads { get; init; } = 1;
}

/// <summary>One epoch of history. Validation fields are NaN without validation data.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double ValidLoss, double ValidMae, double ValidMse,
    double ValidLastStepMse, double Seconds);

public sealed record TrainingResult(IReadOnlyList<EpochReport> History, int BestEpoch, double BestValidMae, bool StoppedEarly)
{
    /// <summary>CPU threads the training used (the batch step's slices on the managed engine, torch's threads on torch).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Why that many threads, when the backend chose (null when the caller's options said).</summary>
    public string? ThreadsChoice { get; init; }

    public EpochReport Last => History[^1];
}
