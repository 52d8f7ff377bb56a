using System.Diagnostics;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>
/// The managed <see cref="Trainer"/>'s loop on torch: the same seeded sample order (the same shuffles, so both
/// backends see the same batches), one optimiser step per batch, validation after every epoch (the same
/// metrics), early stopping on validation MAE with best-weight restore, cancellation checked before every batch.
/// Every batch runs in its own dispose scope: without one the process grew by ~400 MB per epoch.
/// </summary>
internal static class TorchTrainer
{
    private const int EvaluationChunk = 4096;

    public static TrainingResult Fit(Network network, SequenceData train, SequenceData? valid, TrainerOptions options, Device device,
        Action<EpochReport>? onEpoch, CancellationToken ct)
    {
        if (train.Targets is null) throw new ArgumentException("training data needs targets");
        if (options.BatchSize < 1 || options.Epochs < 0) throw new ArgumentException("batch size must be positive, epochs non-negative");
        using var model = new TorchNetwork(network, device);
        var parameters = model.Parameters.Select(p => p.Value).ToList();
        var optimizer = new TorchOptimizer(options.Optimizer, options.LearningRate, options.Momentum, options.Nesterov, options.ClipNorm, parameters);
        var rng = new Random(options.Seed);
        using var generator = new Generator((ulong)options.Seed, device);
        using var xTrain = Inputs(train, device);
        using var yTrain = Targets(train, device);
        using var xValid = valid is null ? null : Inputs(valid, device);
        using var yValid = valid is null ? null : Targets(valid, device);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var batchIndex = new long[options.BatchSize];
        var history = new List<EpochReport>(options.Epochs);
        var patience = options.Patience is > 0 ? options.Patience.Value : 0;
        Tensor[]? best = null;
        var bestMae = double.PositiveInfinity;
        var bestEpoch = 0;
        var stoppedEarly = false;
        try
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                ct.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                if (options.Shuffle)
                {
                    if (options.ShuffleBuffer is { } buffer) Trainer.BufferShuffle(order, buffer, rng);
                    else Trainer.Shuffle(order, rng);
                }
                double lossSum = 0;
                for (var start = 0; start < train.Count; start += options.BatchSize)
                {
                    ct.ThrowIfCancellationRequested();
                    var batch = Math.Min(options.BatchSize, train.Count - start);
                    for (var b = 0; b < batch; b++) batchIndex[b] = order[start + b];
                    using var scope = NewDisposeScope();
                    var index = tensor(batchIndex.AsSpan(0, batch).ToArray(), ScalarType.Int64, device);
                    optimizer.ZeroGrad();
                    var prediction = model.Forward(xTrain.index_select(0, index), dropout: true, generator);
                    var loss = TorchLoss.Compute(options.Loss, prediction, yTrain.index_select(0, index));
                    loss.backward();
                    optimizer.Step();
                    lossSum += loss.item<float>() * batch;
                }
                var trainLoss = lossSum / train.Count;
                var eval = xValid is null ? new Evaluation(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN) : Evaluate(model, xValid, yValid!, options.Loss, generator);
                var validMae = options.ValidMaeLastStepOnly ? eval.LastStepMae : eval.Mae;
                var report = new EpochReport(epoch, options.Epochs, trainLoss, eval.Loss, validMae, eval.Mse, eval.LastStepMse, watch.Elapsed.TotalSeconds);
                history.Add(report);
                onEpoch?.Invoke(report);
                if (valid is null) continue;
                if (validMae < bestMae)
                {
                    bestMae = validMae;
                    bestEpoch = epoch;
                    if (patience > 0 && options.RestoreBestWeights) best = Snapshot(parameters, best);
                }
                else if (patience > 0 && epoch - bestEpoch >= patience)
                {
                    stoppedEarly = true;
                    break;
                }
            }
            // Keras 2.11+: with restore_best_weights the best epoch's weights are kept even without an early stop.
            if (best is not null && bestEpoch != history.Count)
                using (no_grad())
                    for (var i = 0; i < parameters.Count; i++) parameters[i].copy_(best[i]);
            model.Export(network);
        }
        finally
        {
            foreach (var t in best ?? []) t.Dispose();
        }
        if (valid is null) bestEpoch = history.Count;
        return new TrainingResult(history, bestEpoch, bestMae, stoppedEarly);
    }

    private static Tensor[] Snapshot(IReadOnlyList<Tensor> parameters, Tensor[]? into)
    {
        using var _ = no_grad();
        if (into is null) return parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        for (var i = 0; i < parameters.Count; i++) into[i].copy_(parameters[i]);
        return into;
    }

    public static Tensor Inputs(SequenceData data, Device device) =>
        tensor(data.Inputs.AsSpan(0, data.Count * data.Steps * data.Features).ToArray(), [data.Count, data.Steps, data.Features], ScalarType.Float32, device);

    private static Tensor Targets(SequenceData data, Device device) =>
        tensor(data.Targets!.AsSpan(0, data.Count * data.TargetSteps * data.TargetFeatures).ToArray(), [data.Count, data.TargetSteps, data.TargetFeatures], ScalarType.Float32, device);

    /// <summary>Loss, MAE, MSE and last-step MSE/MAE in inference mode, as <see cref="Trainer.Evaluate"/>.</summary>
    private static Evaluation Evaluate(TorchNetwork model, Tensor x, Tensor y, string loss, Generator generator)
    {
        using var _ = no_grad();
        var count = x.shape[0];
        double lossSum = 0, abs = 0, sq = 0, lastSq = 0, lastAbs = 0;
        for (long start = 0; start < count; start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(EvaluationChunk, count - start);
            var prediction = model.Forward(x.narrow(0, start, n), dropout: false, generator);
            var target = y.narrow(0, start, n);
            lossSum += TorchLoss.Compute(loss, prediction, target).to_type(ScalarType.Float64).item<double>() * n;
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
}
