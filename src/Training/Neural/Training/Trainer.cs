using System.Diagnostics;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Neural.Training;

/// <summary>Validation metrics of a model on a data set.</summary>
public readonly record struct Evaluation(double Loss, double Mae, double Mse, double LastStepMse, double LastStepMae);

/// <summary>
/// Mini-batch training, one epoch loop for every backend (<see cref="ITrainingSession"/>): seeded shuffling (full,
/// or through a tf.data-style buffer), one optimiser step per batch, validation after every epoch, early stopping on
/// validation MAE with best-weight restore, cancellation checked per batch, checkpoints at epoch boundaries. The same
/// seed, data and backend (and thread count) give bit-identical weights.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="net"/> on the managed engine on exactly <see cref="TrainerOptions.Threads"/> threads (<see cref="ManagedTrainingSession"/>).</summary>
    public static TrainingResult Fit(Network net, SequenceData train, SequenceData? valid, TrainerOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken ct = default, ITrainingCheckpoints? checkpoints = null) =>
        new ManagedNeuralBackend().Fit(net, train, valid, options, onEpoch, ct, checkpoints);

    /// <summary>
    /// Trains <paramref name="net"/>'s weights in place on <paramref name="backend"/>: per-epoch reports, early
    /// stopping with best-weight restore, cancellation checked before every batch. <paramref name="checkpoints"/>, when
    /// given, is where to resume from (its latest checkpoint, written by this method on the same backend) and save to
    /// (after an epoch when due, never after the last): a resumed fit ends with the weights of the uninterrupted one,
    /// bit for bit. A checkpoint this fit cannot continue is a <see cref="CheckpointMismatchException"/> before training.
    /// </summary>
    public static TrainingResult Fit(this INeuralBackend backend, Network net, SequenceData train, SequenceData? valid, TrainerOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken ct = default, ITrainingCheckpoints? checkpoints = null)
    {
        if (train.Targets is null) throw new ArgumentException("training data needs targets");
        if (options.BatchSize < 1 || options.Epochs < 0) throw new ArgumentException("batch size must be positive, epochs non-negative");
        var saved = checkpoints?.Latest is { } latest ? TrainerCheckpoint.FromBytes(latest.State) : null;
        if (saved is not null) Validate(saved, backend.Kind, net, train.Count, options);
        using var session = backend.Open(net, train, valid, options);
        var rng = new SubtractiveRandom(options.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var history = new List<EpochReport>(options.Epochs);
        var patience = options.Patience is > 0 ? options.Patience.Value : 0;
        float[][]? best = null;
        var bestMae = double.PositiveInfinity;
        var bestEpoch = 0;
        var stoppedEarly = false;
        var first = 1;
        if (saved is not null)
        {
            try
            {
                rng = SubtractiveRandom.FromState(saved.RandomState);
                session.RestoreOptimizer(saved.Optimizer);
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointMismatchException($"the checkpoint does not fit this training: {e.Message}", e);
            }
            session.RestoreWeights(saved.Weights.Select(w => w.Values).ToArray());
            saved.Order.CopyTo(order, 0);
            best = saved.BestWeights;
            (bestMae, bestEpoch) = (saved.BestMae, saved.BestEpoch);
            history.AddRange(saved.History);
            first = saved.Epoch + 1;
        }
        for (var epoch = first; epoch <= options.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            if (options.Shuffle)
            {
                if (options.ShuffleBuffer is { } buffer) BufferShuffle(order, buffer, rng);
                else Shuffle(order, rng);
            }
            double lossSum = 0;
            for (var start = 0; start < train.Count; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                var batch = Math.Min(options.BatchSize, train.Count - start);
                lossSum += session.TrainBatch(order, start, batch, rng, LaneBlockRandom.BatchKey(options.Seed, epoch, start)) * batch;
            }
            var trainLoss = lossSum / train.Count;
            var eval = valid is null ? new Evaluation(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN) : session.Evaluate(ct);
            var validMae = options.ValidMaeLastStepOnly ? eval.LastStepMae : eval.Mae;
            var report = new EpochReport(epoch, options.Epochs, trainLoss, eval.Loss, validMae, eval.Mse, eval.LastStepMse, watch.Elapsed.TotalSeconds);
            history.Add(report);
            onEpoch?.Invoke(report);
            if (valid is null) continue;
            if (validMae < bestMae)
            {
                bestMae = validMae;
                bestEpoch = epoch;
                if (patience > 0 && options.RestoreBestWeights) best = session.CopyWeights(best);
            }
            else if (patience > 0 && epoch - bestEpoch >= patience)
            {
                stoppedEarly = true;
                break;
            }
            if (epoch < options.Epochs && checkpoints is not null && checkpoints.IsDue(epoch))
                checkpoints.Save(new TrainingCheckpoint(epoch, new TrainerCheckpoint(
                    epoch, backend.Kind, [], rng.SaveState(), order, session.SaveOptimizer(),
                    net.Parameters.Zip(session.CopyWeights(), (p, w) => (p.Name, w)).ToList(),
                    bestMae, bestEpoch, best, history).ToBytes()));
        }
        // Keras 2.11+: with restore_best_weights the best epoch's weights are kept even without an early stop.
        if (best is not null && bestEpoch != history.Count) session.RestoreWeights(best);
        session.Complete();
        if (valid is null) bestEpoch = history.Count;
        return new TrainingResult(history, bestEpoch, bestMae, stoppedEarly) { Threads = session.Threads, ThreadsChoice = session.ThreadsChoice };
    }

    /// <summary>A checkpoint must come from this backend, network and options: same parameters, samples and epochs.</summary>
    private static void Validate(TrainerCheckpoint saved, TrainingBackend backend, Network net, int samples, TrainerOptions options)
    {
        if (saved.Backend != backend)
            throw new CheckpointMismatchException($"the checkpoint was written by the {saved.Backend.ToWire()} backend, and this run trains on {backend.ToWire()}");
        // Written by a torch build that drew dropout masks from a generator it saved; masks are now keyed per batch.
        if (saved.BackendRandomState.Length != 0)
            throw new CheckpointMismatchException("the checkpoint holds a backend generator state, which this version no longer uses");
        var parameters = net.Parameters;
        if (saved.Weights.Count != parameters.Count || saved.Weights.Where((w, i) => w.Name != parameters[i].Name || w.Values.Length != parameters[i].Length).Any())
            throw new CheckpointMismatchException("the checkpoint's parameters are not this network's");
        if (saved.BestWeights is { } best && (best.Length != parameters.Count || best.Where((w, i) => w.Length != parameters[i].Length).Any()))
            throw new CheckpointMismatchException("the checkpoint's best weights are not this network's");
        foreach (var slots in new[] { saved.Optimizer.SlotsA, saved.Optimizer.SlotsB })
            if (slots is not null && (slots.Length != parameters.Count || slots.Where((s, i) => s.Length != parameters[i].Length).Any()))
                throw new CheckpointMismatchException("the checkpoint's optimiser state is not this network's");
        if (saved.Order.Length != samples || saved.Epoch < 1 || saved.Epoch >= options.Epochs || saved.History.Count != saved.Epoch)
            throw new CheckpointMismatchException("the checkpoint is not of this training data or epoch count");
    }

    /// <summary>One optimiser step on one batch; returns the batch's mean loss.</summary>
    public static double TrainBatch(Network net, SequenceData data, ReadOnlySpan<int> samples, Workspace ws, RunMode mode, Loss loss, Optimizer optimizer)
    {
        Network.Gather(data, samples, ws, targets: true);
        mode.Batch = samples.Length;
        mode.Training = true;
        mode.DropoutActive = true;
        net.ZeroGrad();
        var y = net.Forward(ws, mode);
        var value = loss.Compute(y, ws.Target, samples.Length, ws.OutputGrad);
        net.Backward(ws, ws.OutputGrad, mode);
        optimizer.Step(net.Parameters);
        return value;
    }

    /// <summary>Loss, MAE, MSE and last-step MSE/MAE of the model on a data set (inference mode).</summary>
    public static Evaluation Evaluate(Network net, SequenceData data, Loss loss, int lanes = 32, CancellationToken ct = default)
    {
        if (data.Targets is null) throw new ArgumentException("evaluation data needs targets");
        var ws = net.GetWorkspace(data.Steps, lanes);
        var mode = new RunMode(false, net.KeepDropoutAtInference, new Random(0), 0);
        Span<int> order = stackalloc int[lanes];
        double lossSum = 0, abs = 0, sq = 0, lastSq = 0, lastAbs = 0;
        var outSteps = ws.Target.Steps;
        var outFeatures = ws.Target.Features;
        for (var start = 0; start < data.Count; start += lanes)
        {
            ct.ThrowIfCancellationRequested();
            var batch = Math.Min(lanes, data.Count - start);
            for (var b = 0; b < batch; b++) order[b] = start + b;
            Network.Gather(data, order[..batch], ws, targets: true);
            mode.Batch = batch;
            var y = net.Forward(ws, mode);
            lossSum += loss.Compute(y, ws.Target, batch, null) * batch;
            for (var t = 0; t < outSteps; t++)
                for (var f = 0; f < outFeatures; f++)
                {
                    var o = y.Offset(t, f);
                    for (var b = 0; b < batch; b++)
                    {
                        double d = y.Data[o + b] - ws.Target.Data[o + b];
                        abs += Math.Abs(d);
                        sq += d * d;
                        if (t == outSteps - 1)
                        {
                            lastAbs += Math.Abs(d);
                            lastSq += d * d;
                        }
                    }
                }
        }
        var n = (double)data.Count * outSteps * outFeatures;
        var nLast = (double)data.Count * outFeatures;
        return new Evaluation(lossSum / data.Count, abs / n, sq / n, lastSq / nLast, lastAbs / nLast);
    }

    /// <summary>
    /// tf.data <c>Dataset.shuffle(buffer)</c> over samples 0..n−1 in order: fill a buffer with the first
    /// <paramref name="buffer"/> samples, then repeatedly emit a random buffered sample and put the next input
    /// sample in its slot; once the input is exhausted, drain the buffer in random order.
    /// </summary>
    internal static void BufferShuffle(int[] order, int buffer, Random rng)
    {
        var n = order.Length;
        var pool = new int[Math.Clamp(buffer, 1, Math.Max(1, n))];
        int size = 0, next = 0;
        while (size < pool.Length && next < n) pool[size++] = next++;
        for (var i = 0; i < n; i++)
        {
            var j = rng.Next(size);
            order[i] = pool[j];
            if (next < n) pool[j] = next++;
            else pool[j] = pool[--size];
        }
    }

    private static void Shuffle(int[] order, Random rng)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
