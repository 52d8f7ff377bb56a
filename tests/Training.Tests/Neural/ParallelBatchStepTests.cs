using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// Data-parallel training (<see cref="ParallelBatchStep"/>): a batch cut into 2 or 3 slices gives the whole batch's
/// loss and gradient (the single-threaded step's, to float rounding: only the order of the sums differs), dropout
/// masks that do not depend on the slicing, and bit-identical weights for a given thread count and seed.
/// </summary>
public sealed class ParallelBatchStepTests
{
    private static readonly Lazy<SequenceData> Data = new(() =>
        SyntheticSeries.Seq2Seq(SyntheticSeries.Generate(160, 26, new Random(11)), 26, 0, 160, 20, 4));

    public static TheoryData<string> Models => ["lstm", "gru", "simple_rnn", "conv_gru", "wavenet", "lnrnn_layernorm"];

    private static List<LayerSpec> Layers(string name) => name switch
    {
        "lstm" => [new LstmSpec(12, true), new LstmSpec(10, true), new DenseSpec(4)],
        "gru" => [new GruSpec(12, true), new DenseSpec(4)],
        "simple_rnn" => [new SimpleRnnSpec(10, true), new SimpleRnnSpec(8, true), new DenseSpec(4)],
        "conv_gru" => [new Conv1DSpec(8, 3, Padding: ConvPadding.Causal, Activation: ActivationKind.Relu), new GruSpec(10, true), new DenseSpec(4)],
        "wavenet" => [new WaveNetSpec(6, [1, 2, 4]), new Conv1DSpec(4, 1)],
        "lnrnn_layernorm" => [new LayerNormSimpleRnnSpec(8, true), new LayerNormSpec(), new DenseSpec(4)],
        "dropout" => [new GruSpec(12, true, Dropout: 0.2f, RecurrentDropout: 0.3f), new LstmSpec(8, true, RecurrentDropout: 0.25f), new DropoutSpec(0.3f), new DenseSpec(4)],
        _ => throw new ArgumentException(name),
    };

    /// <summary>Samples in a scrambled order, as a shuffled epoch would take them.</summary>
    private static int[] Order(int count) => Enumerable.Range(0, count).OrderBy(i => (i * 37) % count).ToArray();

    /// <summary>The single-threaded step's loss and gradients (SGD at learning rate 0 leaves the weights as they are).</summary>
    private static (double Loss, float[][] Grads) SingleThread(Network net, int[] order, int batch, Loss loss)
    {
        var ws = net.GetWorkspace(Data.Value.Steps, LaneMath.LanesFor(batch));
        var value = Trainer.TrainBatch(net, Data.Value, order.AsSpan(0, batch), ws, new RunMode(true, true, new Random(1), 0), loss, new SgdOptimizer(0f));
        return (value, net.Parameters.Select(p => p.Grad.ToArray()).ToArray());
    }

    private static (double Loss, float[][] Grads) Sliced(Network net, int[] order, int batch, Loss loss, int threads, ulong batchKey = 7)
    {
        using var step = new ParallelBatchStep(net, Data.Value.Steps, batch, threads);
        Assert.Equal(Math.Min(threads, LaneMath.LanesFor(batch) / LaneMath.Width), step.Threads);
        var value = step.ComputeGradients(Data.Value, order, 0, batch, loss, batchKey);
        return (value, net.Parameters.Select(p => p.Grad.ToArray()).ToArray());
    }

    /// <summary>Every tensor within 1e-5 of its largest entry (and the gradients are not all zero).</summary>
    private static void AssertClose(float[][] expected, float[][] actual, IReadOnlyList<Parameter> parameters)
    {
        Assert.Contains(expected, g => g.Any(v => v != 0f));
        for (var p = 0; p < expected.Length; p++)
        {
            var scale = Math.Max(expected[p].Max(Math.Abs), 1e-12f);
            for (var i = 0; i < expected[p].Length; i++)
                Assert.True(Math.Abs(expected[p][i] - actual[p][i]) <= 1e-5 * scale,
                    $"{parameters[p].Name}[{i}]: {actual[p][i]} vs {expected[p][i]} (largest {scale})");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Two_and_three_slices_give_the_single_threaded_loss_and_gradients(string name)
    {
        var net = new NetworkSpec(1, Layers(name)).Build(3);
        foreach (var lossName in new[] { LossKind.Mse, LossKind.Huber })
        {
            var loss = Loss.Create(lossName);
            foreach (var batch in new[] { 45, 100 }) // 45: padding lanes, vector-wide slices; 100: 32-lane slices and a remainder
            {
                var order = Order(Data.Value.Count);
                var (expectedLoss, expected) = SingleThread(net, order, batch, loss);
                foreach (var threads in new[] { 2, 3 })
                {
                    var (value, grads) = Sliced(net, order, batch, loss, threads);
                    Assert.Equal(expectedLoss, value, 1e-6 * expectedLoss);
                    AssertClose(expected, grads, net.Parameters);
                }
            }
        }
    }

    [Fact]
    public void Dropout_masks_do_not_depend_on_the_slicing()
    {
        var net = new NetworkSpec(1, Layers("dropout")).Build(5);
        var loss = Loss.Create(LossKind.Mse);
        var order = Order(Data.Value.Count);
        const int batch = 100;
        var (wholeLoss, whole) = Sliced(net, order, batch, loss, threads: 1);
        var (noDropoutLoss, _) = SingleThread(new NetworkSpec(1, Layers("lstm")).Build(5), order, batch, loss);
        foreach (var threads in new[] { 2, 3 })
        {
            var (value, grads) = Sliced(net, order, batch, loss, threads);
            Assert.Equal(wholeLoss, value, 1e-6 * wholeLoss);
            AssertClose(whole, grads, net.Parameters);
        }
        // Another batch draws other masks.
        var (otherLoss, _) = Sliced(net, order, batch, loss, threads: 2, batchKey: 8);
        Assert.NotEqual(wholeLoss, otherLoss, 1e-4 * wholeLoss);
        Assert.True(noDropoutLoss > 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_seeded_parallel_fit_is_bit_identical_across_runs(int threads)
    {
        var spec = new NetworkSpec(1, Layers("dropout"));
        var options = new TrainerOptions { Epochs = 3, BatchSize = 40, Seed = 9, LearningRate = 0.01f, Threads = threads };
        float[][] Run(out TrainingResult result)
        {
            var net = spec.Build(4);
            result = Trainer.Fit(net, Data.Value, null, options);
            return net.Parameters.Select(p => p.Value.ToArray()).ToArray();
        }
        var first = Run(out var a);
        var second = Run(out var b);
        Assert.Equal(threads, a.Threads);
        Assert.Equal(first, second);
        Assert.Equal(a.History.Select(h => h.TrainLoss), b.History.Select(h => h.TrainLoss));
        Assert.True(a.History[^1].TrainLoss < a.History[0].TrainLoss, "the parallel fit learns");
    }

    [Fact]
    public void Without_dropout_a_parallel_fit_follows_the_single_threaded_one()
    {
        var spec = new NetworkSpec(1, Layers("gru"));
        // SGD: Adam's normalised steps would magnify the rounding differences of near-zero gradients.
        var options = new TrainerOptions { Optimizer = OptimizerKind.Sgd, Epochs = 2, BatchSize = 48, Seed = 9, LearningRate = 0.05f };
        var single = spec.Build(4);
        var one = Trainer.Fit(single, Data.Value, null, options);
        var parallel = spec.Build(4);
        var two = Trainer.Fit(parallel, Data.Value, null, options with { Threads = 2 });
        Assert.Equal(1, one.Threads);
        Assert.Equal(2, two.Threads);
        for (var p = 0; p < single.Parameters.Count; p++)
        {
            var scale = single.Parameters[p].Value.Max(Math.Abs);
            for (var i = 0; i < single.Parameters[p].Length; i++)
                Assert.True(Math.Abs(single.Parameters[p].Value[i] - parallel.Parameters[p].Value[i]) <= 1e-4 * scale, single.Parameters[p].Name);
        }
    }

    [Fact]
    public void Batch_normalisation_trains_on_one_thread_whatever_is_asked()
    {
        var spec = new NetworkSpec(1, [new SimpleRnnSpec(8, true), new BatchNormSpec(), new DenseSpec(4)]);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = 2 };
        var one = spec.Build(1);
        Trainer.Fit(one, Data.Value, null, options);
        var asked = spec.Build(1);
        var result = Trainer.Fit(asked, Data.Value, null, options with { Threads = 3 });
        Assert.Equal(1, result.Threads);
        Assert.Equal(one.Parameters.Select(p => p.Value), asked.Parameters.Select(p => p.Value));
        Assert.NotNull(ParallelBatchStep.SingleThreadReason(asked));
        Assert.Throws<ArgumentException>(() => new ParallelBatchStep(asked, 20, 32, 2));
    }

    [Fact]
    public void A_small_batch_gets_at_most_one_slice_per_lane_vector()
    {
        Assert.Equal(1, ParallelBatchStep.Slices(LaneMath.Width, 4));
        Assert.Equal(2, ParallelBatchStep.Slices(LaneMath.Width + 1, 4));
        Assert.Equal(4, ParallelBatchStep.Slices(256, 4));
        var net = new NetworkSpec(1, Layers("gru")).Build(1);
        using var step = new ParallelBatchStep(net, 20, 100, 3);
        Assert.Equal(LaneMath.LanesFor(100), step.SliceLanes.Sum());
        Assert.All(step.SliceLanes, l => Assert.Equal(0, l % LaneMath.Width));
    }

    [Fact]
    public void A_slice_that_fails_fails_the_batch_on_the_calling_thread_and_the_step_goes_on()
    {
        var net = new NetworkSpec(1, Layers("gru")).Build(1);
        var loss = Loss.Create(LossKind.Mse);
        var order = Order(Data.Value.Count);
        var wrongTargets = SyntheticSeries.Seq2Vec(SyntheticSeries.Generate(160, 26, new Random(11)), 26, 0, 160, 20, 4);
        using var step = new ParallelBatchStep(net, Data.Value.Steps, 64, 2);
        var error = Assert.Throws<ArgumentException>(() => step.ComputeGradients(wrongTargets, order, 0, 64, loss, 1));
        Assert.Contains("targets", error.Message);
        Assert.True(step.ComputeGradients(Data.Value, order, 0, 64, loss, 1) > 0);
    }
}
