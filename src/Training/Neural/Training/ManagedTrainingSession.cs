using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Neural.Training;

/// <summary>
/// The managed engine's side of the epoch loop: it trains the <see cref="Network"/> itself, single-threaded, one
/// <see cref="Trainer.TrainBatch"/> per batch in one workspace (the steady state allocates nothing), dropout masks
/// from the loop's generator, so the same seed and data give bit-identical weights.
/// </summary>
internal sealed class ManagedTrainingSession : ITrainingSession
{
    private readonly Network _net;
    private readonly SequenceData _train;
    private readonly SequenceData? _valid;
    private readonly Loss _loss;
    private readonly Optimizer _optimizer;
    private readonly int _lanes;
    private readonly Workspace _workspace;
    private readonly RunMode _mode;

    public ManagedTrainingSession(Network net, SequenceData train, SequenceData? valid, TrainerOptions options)
    {
        (_net, _train, _valid) = (net, train, valid);
        _loss = Loss.Create(options.Loss);
        _optimizer = Optimizer.Create(options.Optimizer, options.LearningRate, options.Momentum, options.Nesterov);
        _optimizer.ClipNorm = options.ClipNorm;
        _lanes = LaneMath.LanesFor(options.BatchSize);
        _workspace = net.GetWorkspace(train.Steps, _lanes);
        _mode = new RunMode(true, true, Random.Shared, 0);
    }

    public double TrainBatch(ReadOnlySpan<int> samples, Random random)
    {
        _mode.Rng = random;
        return Trainer.TrainBatch(_net, _train, samples, _workspace, _mode, _loss, _optimizer);
    }

    public Evaluation Evaluate(CancellationToken cancellationToken) =>
        Trainer.Evaluate(_net, _valid ?? throw new InvalidOperationException("the session has no validation data"), _loss, _lanes, cancellationToken);

    public float[][] CopyWeights(float[][]? into = null) => _net.CopyWeights(into);

    public void RestoreWeights(float[][] weights) => _net.RestoreWeights(weights);

    public OptimizerState SaveOptimizer() => _optimizer.SaveState();

    public void RestoreOptimizer(OptimizerState state) => _optimizer.RestoreState(state);

    /// <summary>Dropout draws from the loop's generator, which the checkpoint keeps already.</summary>
    public byte[] SaveRandomState() => [];

    public void RestoreRandomState(byte[] state)
    {
        if (state.Length != 0) throw new InvalidDataException("the managed engine keeps no random state of its own");
    }

    /// <summary>The weights are the network's already.</summary>
    public void Complete() { }

    public void Dispose() { }
}
