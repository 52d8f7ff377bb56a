using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Optimizers;
using Forecasting.Training.Neural.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>
/// The torch side of <see cref="Trainer"/>'s epoch loop: the network as torch tensors on one device, the training
/// and validation data uploaded once, one optimiser step per batch, dropout masks from a CPU torch generator seeded
/// per batch (so a checkpoint needs no generator state). Every batch runs in its own dispose scope: without one its
/// tensors live until the garbage collector finalises them, and the process grows epoch by epoch.
/// </summary>
internal sealed class TorchTrainingSession : ITrainingSession
{
    private const int EvaluationChunk = 4096;
    private readonly Network _network;
    private readonly Device _device;
    private readonly LossKind _loss;
    private readonly TorchNetwork _model;
    private readonly Tensor[] _parameters;
    private readonly TorchOptimizer _optimizer;
    private readonly Generator _generator;
    private readonly Tensor _xTrain, _yTrain;
    private readonly Tensor? _xValid, _yValid;

    public TorchTrainingSession(Network network, SequenceData train, SequenceData? valid, TrainerOptions options, Device device)
    {
        (_network, _device, _loss) = (network, device, options.Loss);
        _model = new TorchNetwork(network, device);
        // The managed order: the layout of weights and optimiser slots in checkpoints.
        var byName = _model.Parameters.ToDictionary(p => p.Name, p => p.Value);
        if (byName.Count != network.Parameters.Count || network.Parameters.Any(p => !byName.ContainsKey(p.Name)))
            throw new NotSupportedException("the torch network's parameters are not the managed network's");
        _parameters = network.Parameters.Select(p => byName[p.Name]).ToArray();
        _optimizer = new TorchOptimizer(options.Optimizer, options.LearningRate, options.Momentum, options.Nesterov, options.ClipNorm, _parameters);
        // Masks are drawn on the CPU and copied to the device: a CUDA generator crashed libtorch (segmentation fault) on
        // the H100/H200 nodes, and this way the CPU and a GPU draw the same masks.
        _generator = new Generator((ulong)options.Seed, CPU);
        _xTrain = TorchNetwork.Inputs(train, device);
        _yTrain = Targets(train, device);
        _xValid = valid is null ? null : TorchNetwork.Inputs(valid, device);
        _yValid = valid is null ? null : Targets(valid, device);
    }

    public int Threads { get; init; } = 1;

    public string? ThreadsChoice { get; init; }

    /// <summary>
    /// Dropout masks come from the session's torch generator, seeded with <paramref name="batchKey"/> for each batch:
    /// they depend only on the seed, epoch and batch, so a resumed run draws the same masks without any generator
    /// state in the checkpoint. <paramref name="random"/>
    /// is not used.
    /// </summary>
    public double TrainBatch(int[] order, int offset, int count, Random random, ulong batchKey)
    {
        _generator.manual_seed(unchecked((long)batchKey));
        var batch = new long[count];
        for (var b = 0; b < batch.Length; b++) batch[b] = order[offset + b];
        using var scope = NewDisposeScope();
        var index = tensor(batch, ScalarType.Int64, _device);
        _optimizer.ZeroGrad();
        var prediction = _model.Forward(_xTrain.index_select(0, index), dropout: true, _generator);
        var loss = TorchLoss.Compute(_loss, prediction, _yTrain.index_select(0, index));
        loss.backward();
        _optimizer.Step();
        return loss.item<float>();
    }

    /// <summary>As <see cref="Trainer.Evaluate"/>, in chunks of samples, summed in float64.</summary>
    public Evaluation Evaluate(CancellationToken cancellationToken)
    {
        var (x, y) = (_xValid ?? throw new InvalidOperationException("the session has no validation data"), _yValid!);
        using var _ = no_grad();
        var count = x.shape[0];
        double lossSum = 0, abs = 0, sq = 0, lastSq = 0, lastAbs = 0;
        for (long start = 0; start < count; start += EvaluationChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var n = Math.Min(EvaluationChunk, count - start);
            var prediction = _model.Forward(x.narrow(0, start, n), dropout: false, _generator);
            var target = y.narrow(0, start, n);
            lossSum += TorchLoss.Compute(_loss, prediction, target).to_type(ScalarType.Float64).item<double>() * n;
            var d = prediction.sub(target).to_type(ScalarType.Float64);
            abs += d.abs().sum().item<double>();
            sq += d.square().sum().item<double>();
            var last = d.select(1, d.shape[1] - 1);
            lastAbs += last.abs().sum().item<double>();
            lastSq += last.square().sum().item<double>();
        }
        var elements = (double)count * y.shape[1] * y.shape[2];
        var lastElements = (double)count * y.shape[2];
        return new Evaluation(lossSum / count, abs / elements, sq / elements, lastSq / lastElements, lastAbs / lastElements);
    }

    public float[][] CopyWeights(float[][]? into = null)
    {
        into ??= _parameters.Select(p => new float[p.numel()]).ToArray();
        for (var i = 0; i < _parameters.Length; i++) TorchNetwork.Download(_parameters[i], into[i]);
        return into;
    }

    public void RestoreWeights(float[][] weights)
    {
        for (var i = 0; i < _parameters.Length; i++) TorchNetwork.Upload(weights[i], _parameters[i]);
    }

    public OptimizerState SaveOptimizer() => _optimizer.SaveState();

    public void RestoreOptimizer(OptimizerState state) => _optimizer.RestoreState(state);

    public void Complete() => _model.Export(_network);

    public void Dispose()
    {
        foreach (var t in new[] { _xTrain, _yTrain, _xValid, _yValid }) t?.Dispose();
        _generator.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }

    private static Tensor Targets(SequenceData data, Device device) =>
        tensor(data.Targets!.AsSpan(0, data.Count * data.TargetSteps * data.TargetFeatures).ToArray(), [data.Count, data.TargetSteps, data.TargetFeatures], ScalarType.Float32, device);
}
