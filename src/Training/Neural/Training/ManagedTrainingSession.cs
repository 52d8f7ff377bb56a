using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Neural.Training;

/// <summary>
/// The managed engine's side of the epoch loop: it trains the <see cref="Network"/> itself. On one thread, one
/// <see cref="Trainer.TrainBatch"/> per batch in one workspace, dropout masks from the loop's generator; on several,
/// <see cref="ParallelBatchStep"/> (slices of the batch, gradients added in slice order, dropout masks keyed by the
/// batch), with validation in slice 0's workspace. Either way the steady state allocates nothing, and the same seed,
/// data and thread count give bit-identical weights.
/// </summary>
internal sealed class ManagedTrainingSession : ITrainingSession
{
    private readonly Network _net;
    private readonly SequenceData _train;
    private readonly SequenceData? _valid;
    private readonly Loss _loss;
    private readonly Optimizer _optimizer;
    private readonly int _lanes;
    private readonly Workspace? _workspace;
    private readonly ParallelBatchStep? _parallel;
    private readonly RunMode _mode;

    /// <param name="threadsChoice">Why <see cref="TrainerOptions.Threads"/> is what it is (the backend's rule), for the result.</param>
    public ManagedTrainingSession(Network net, SequenceData train, SequenceData? valid, TrainerOptions options, string? threadsChoice = null)
    {
        if (options.Threads < 1) throw new ArgumentException("threads must be positive");
        (_net, _train, _valid) = (net, train, valid);
        _loss = Loss.Create(options.Loss);
        _optimizer = Optimizer.Create(options.Optimizer, options.LearningRate, options.Momentum, options.Nesterov);
        _optimizer.ClipNorm = options.ClipNorm;
        ThreadsChoice = threadsChoice;
        if (ParallelBatchStep.Slices(options.BatchSize, options.Threads) > 1)
        {
            if (ParallelBatchStep.SingleThreadReason(net) is { } why) ThreadsChoice = $"one thread: {why}";
            else _parallel = new ParallelBatchStep(net, train.Steps, options.BatchSize, options.Threads);
        }
        // In parallel, validation runs in slice 0's workspace: no whole-batch buffers beside the slices'.
        _lanes = _parallel?.SliceLanes[0] ?? LaneMath.LanesFor(options.BatchSize);
        _workspace = _parallel is null ? net.GetWorkspace(train.Steps, _lanes) : null;
        _mode = new RunMode(true, true, Random.Shared, 0);
    }

    public int Threads => _parallel?.Threads ?? 1;

    public string? ThreadsChoice { get; }

    public double TrainBatch(int[] order, int offset, int count, Random random, ulong batchKey)
    {
        if (_parallel is not null) return _parallel.TrainBatch(_train, order, offset, count, _loss, _optimizer, batchKey);
        _mode.Rng = random;
        return Trainer.TrainBatch(_net, _train, order.AsSpan(offset, count), _workspace!, _mode, _loss, _optimizer);
    }

    public Evaluation Evaluate(CancellationToken cancellationToken) =>
        Trainer.Evaluate(_net, _valid ?? throw new InvalidOperationException("the session has no validation data"), _loss, _lanes, cancellationToken);

    public float[][] CopyWeights(float[][]? into = null) => _net.CopyWeights(into);

    public void RestoreWeights(float[][] weights) => _net.RestoreWeights(weights);

    public OptimizerState SaveOptimizer() => _optimizer.SaveState();

    public void RestoreOptimizer(OptimizerState state) => _optimizer.RestoreState(state);

    /// <summary>The weights are the network's already.</summary>
    public void Complete() { }

    public void Dispose() => _parallel?.Dispose();
}
