using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// The tf.data-style buffer shuffle (<c>Dataset.shuffle(n)</c> over the windows in order, as the chapter's
/// <c>to_seq2seq_dataset</c>): a permutation each epoch whose samples move at most buffer − 1 places earlier.
/// </summary>
public class ShuffleBufferTests
{
    [Theory]
    [InlineData(1027, 256)]
    [InlineData(100, 1)]
    [InlineData(50, 50)]
    [InlineData(10, 1000)]
    [InlineData(1, 4)]
    public void Every_epoch_is_a_permutation_and_no_sample_moves_more_than_the_buffer_ahead(int count, int buffer)
    {
        var rng = new Random(42);
        var order = new int[count];
        for (var epoch = 0; epoch < 3; epoch++)
        {
            Trainer.BufferShuffle(order, buffer, rng);
            Assert.Equal(Enumerable.Range(0, count), order.Order());
            // Sample i enters the buffer only after i − buffer + 1 samples have been emitted.
            for (var position = 0; position < count; position++)
                Assert.True(position >= order[position] - (buffer - 1), $"sample {order[position]} at position {position} with buffer {buffer}");
        }
    }

    [Fact]
    public void A_buffer_of_one_keeps_the_order_and_a_buffer_of_all_mixes_it()
    {
        var order = new int[200];
        Trainer.BufferShuffle(order, 1, new Random(1));
        Assert.Equal(Enumerable.Range(0, 200), order);

        Trainer.BufferShuffle(order, 200, new Random(1));
        Assert.Equal(Enumerable.Range(0, 200), order.Order());
        Assert.True(order.Take(100).Count(i => i >= 100) > 30, "a full-size buffer draws from the whole set");
    }

    [Fact]
    public void A_small_buffer_keeps_batches_roughly_chronological()
    {
        var order = new int[1027];
        Trainer.BufferShuffle(order, 256, new Random(7));
        // The first batch comes from the first 256 + 31 windows; the last quarter of the epoch holds mostly late windows.
        Assert.All(order.Take(32), i => Assert.True(i < 256 + 32));
        Assert.True(order.Skip(770).Average() > 700);
    }

    [Fact]
    public void Training_with_a_buffer_is_reproducible_and_differs_from_a_full_shuffle()
    {
        var series = SyntheticSeries.Generate(300, 30, new Random(5));
        var train = SyntheticSeries.Seq2Seq(series, 30, 0, 240, 25, 5);
        var valid = SyntheticSeries.Seq2Seq(series, 30, 240, 60, 25, 5);
        float[] Weights(int? buffer)
        {
            var net = new NetworkSpec(1, [new SimpleRnnSpec(8, true), new DenseSpec(5)]).Build(3);
            Trainer.Fit(net, train, valid, new TrainerOptions { Epochs = 3, LearningRate = 0.01f, Seed = 11, ShuffleBuffer = buffer });
            return [.. net.Parameters.SelectMany(p => p.Value)];
        }

        Assert.Equal(Weights(64), Weights(64));
        Assert.NotEqual(Weights(64), Weights(null));
    }
}
