using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>Which thread count the managed backend trains on (<see cref="ManagedThreadsRule"/>, Training:ManagedThreads).</summary>
public sealed class ManagedThreadsRuleTests
{
    private static NetworkSpec Lstm2(int units) => new(1, [new LstmSpec(units, true), new LstmSpec(units, true), new DenseSpec(10)]);

    [Fact]
    public void The_chapter_sizes_stay_on_one_thread()
    {
        NetworkSpec[] chapter =
        [
            Lstm2(20),
            new(1, [new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10)]),
            new(1, [new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(1)]),
            new(1, [new Conv1DSpec(20, 4, 2), new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10)]),
            new(1, [new WaveNetSpec(20, [1, 2, 4, 8, 1, 2, 4, 8]), new Conv1DSpec(10, 1)]),
        ];
        foreach (var spec in chapter)
            foreach (var batch in new[] { 32, 64, 128 })
            {
                var (threads, reason) = ManagedThreadsRule.Choose(spec, batch, 16);
                Assert.Equal(1, threads);
                Assert.Contains("below", reason);
            }
    }

    [Fact]
    public void Large_batches_of_large_models_use_the_cores_with_32_lanes_or_more_each()
    {
        Assert.Equal(2, ManagedThreadsRule.Choose(Lstm2(128), 256, 2).Threads);
        Assert.Equal(8, ManagedThreadsRule.Choose(Lstm2(128), 256, 16).Threads);
        Assert.Equal(16, ManagedThreadsRule.Choose(new NetworkSpec(1, [new GruSpec(128), new DenseSpec(10)]), 512, 16).Threads);
        var (small, why) = ManagedThreadsRule.Choose(Lstm2(512), 32, 16);
        Assert.Equal(1, small);
        Assert.Contains("two slices of 32", why);
    }

    [Fact]
    public void Configuration_and_batch_normalisation_can_hold_it_to_one_thread()
    {
        Assert.Equal((1, "one thread: Training:ManagedThreads allows one"), ManagedThreadsRule.Choose(Lstm2(256), 256, 1));
        var batchNorm = new NetworkSpec(1, [new LstmSpec(256, true), new BatchNormSpec(), new DenseSpec(10)]);
        Assert.Contains("batch normalisation", ManagedThreadsRule.Choose(batchNorm, 256, 4).Reason);
        Assert.Equal(3, new TrainingOptions { ManagedThreads = 3 }.EffectiveManagedThreads);
        Assert.Equal(Environment.ProcessorCount, new TrainingOptions().EffectiveManagedThreads);
    }

    [Fact]
    public void The_managed_backend_trains_on_the_rules_threads_and_says_so()
    {
        var series = SyntheticSeries.Generate(128, 12, new Random(1));
        var train = SyntheticSeries.Seq2Seq(series, 12, 0, 128, 10, 2);
        var spec = new NetworkSpec(1, [new LstmSpec(300, true), new DenseSpec(2)]); // work 1.1e8 at batch 64
        var options = new TrainerOptions { Epochs = 1, BatchSize = 64 };
        var two = new ManagedNeuralBackend(new TrainingOptions { ManagedThreads = 2 }).Fit(spec.Build(1), train, null, options);
        Assert.Equal(2, two.Threads);
        Assert.StartsWith("2 threads", two.ThreadsChoice);
        var one = new ManagedNeuralBackend(new TrainingOptions { ManagedThreads = 1 }).Fit(spec.Build(1), train, null, options with { Threads = 4 });
        Assert.Equal(1, one.Threads);
        Assert.StartsWith("one thread", one.ThreadsChoice);
    }
}
