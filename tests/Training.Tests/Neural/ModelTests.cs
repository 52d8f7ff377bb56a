using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Serialization;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

public class ModelTests
{
    private static NetworkSpec LstmSpec() => new(1, [new LstmSpec(8, true), new LstmSpec(8, true), new DenseSpec(4)]);

    private static NetworkSpec EverythingSpec() => new(1,
    [
        new Conv1DSpec(6, 3, Padding: ConvPadding.Causal, Activation: ActivationKind.Relu),
        new LayerNormSpec(),
        new GruSpec(6, true, Dropout: 0.1f, RecurrentDropout: 0.1f),
        new BatchNormSpec(),
        new LayerNormSimpleRnnSpec(5, true),
        new DropoutSpec(0.2f),
        new SimpleRnnSpec(5, true),
        new WaveNetSpec(4, [1, 2]),
        new LstmSpec(4, false),
        new DenseSpec(3, ActivationKind.Tanh),
    ], 12);

    private static SequenceData Windows(int count, int steps, int ahead, int seed = 1)
    {
        var series = SyntheticSeries.Generate(count, steps + ahead, new Random(seed));
        return SyntheticSeries.Seq2Seq(series, steps + ahead, 0, count, steps, ahead);
    }

    [Fact]
    public void Spec_round_trips_through_json_with_kind_discriminators()
    {
        var spec = EverythingSpec();
        var json = spec.ToJson();
        Assert.Contains("\"kind\":\"wavenet\"", json);
        Assert.Contains("\"kind\":\"lstm\"", json);
        var back = NetworkSpec.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(spec.Layers.Count, back.Layers.Count);
        Assert.Equal(spec.Build(3).ParameterCount, back.Build(3).ParameterCount);
    }

    [Fact]
    public void Parameter_count_and_names_match_keras()
    {
        var net = new NetworkSpec(1, [new LstmSpec(20, true), new LstmSpec(20, true), new DenseSpec(10)]).Build(1);
        Assert.Equal(5250, net.ParameterCount); // Keras summary of the chapter's model
        Assert.Equal(["lstm.0.weight_ih", "lstm.0.weight_hh", "lstm.0.bias", "lstm.1.weight_ih", "lstm.1.weight_hh", "lstm.1.bias", "dense.2.weight", "dense.2.bias"],
            net.Parameters.Select(p => p.Name));
        var gru = new NetworkSpec(1, [new GruSpec(20, true)]).Build(1);
        Assert.Equal(1380, gru.ParameterCount); // 3·(20·1 + 20·20 + 2·20), reset_after
        // unit_forget_bias: forget gate biases start at 1, the others at 0.
        var bias = net.GetParameter("lstm.0.bias").Value;
        Assert.All(bias[20..40], v => Assert.Equal(1f, v));
        Assert.All(bias[..20], v => Assert.Equal(0f, v));
        // Orthogonal recurrent kernel: columns of the [80, 20] matrix are orthonormal.
        var whh = net.GetParameter("lstm.0.weight_hh").Value;
        for (var i = 0; i < 20; i++)
            for (var j = 0; j < 20; j++)
            {
                double dot = 0;
                for (var r = 0; r < 80; r++) dot += whh[r * 20 + i] * whh[r * 20 + j];
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 4);
            }
    }

    [Fact]
    public void Safetensors_round_trip_reproduces_predictions_exactly()
    {
        var spec = EverythingSpec();
        var net = spec.Build(5);
        var data = Windows(40, 12, 3);
        // Train a little so batch-norm statistics and weights are not at their initial values.
        var train = new SequenceData(data.Inputs, data.Count, 12, 1, new float[data.Count * 3], 1, 3);
        Trainer.Fit(net, train, null, new TrainerOptions { Epochs = 1, BatchSize = 8 });
        var bytes = SafeTensors.Save(net);

        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        using var doc = JsonDocument.Parse(header);
        var dense = doc.RootElement.GetProperty("dense.9.weight");
        Assert.Equal("F32", dense.GetProperty("dtype").GetString());
        Assert.Equal([3, 4], dense.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var offsets = dense.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(48, offsets[1] - offsets[0]);
        var first = BitConverter.ToSingle(bytes, (int)(8 + headerLength + offsets[0]));
        Assert.Equal(net.GetParameter("dense.9.weight").Value[0], first);
        Assert.True(doc.RootElement.TryGetProperty("batchnorm.3.moving_mean", out _));
        Assert.True(doc.RootElement.TryGetProperty("wavenet.7.block1.dilated.weight", out _));
        Assert.Equal(8 + headerLength + net.ParameterCount * 4L, bytes.Length);

        var copy = spec.Build(99);
        SafeTensors.Load(copy, bytes);
        Assert.Equal(net.Predict(data), copy.Predict(data));
        var rebuilt = SafeTensors.LoadNetwork(bytes);
        Assert.Equal(net.Predict(data), rebuilt.Predict(data));
    }

    [Fact]
    public void Loading_rejects_a_shape_mismatch()
    {
        var bytes = SafeTensors.Save(LstmSpec().Build(1));
        var other = new NetworkSpec(1, [new LstmSpec(9, true), new LstmSpec(8, true), new DenseSpec(4)]).Build(1);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(other, bytes));
    }

    [Fact]
    public void Same_seed_and_data_give_bit_identical_weights()
    {
        var spec = new NetworkSpec(1, [new GruSpec(6, true, Dropout: 0.1f, RecurrentDropout: 0.2f), new DenseSpec(4)]);
        var data = Windows(100, 20, 4);
        float[][] Train()
        {
            var net = spec.Build(7);
            Trainer.Fit(net, data, data, new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 3, Optimizer = OptimizerKind.Nadam, ClipNorm = 1f });
            return net.CopyWeights();
        }
        var a = Train();
        var b = Train();
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
        var c = spec.Build(8).CopyWeights();
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void Single_series_path_matches_the_batched_path()
    {
        var net = LstmSpec().Build(2);
        var data = Windows(37, 15, 4);
        var batched = net.Predict(data);
        var output = new float[15 * 4];
        for (var i = 0; i < data.Count; i++)
        {
            net.Predict(data.Inputs.AsSpan(i * 15, 15), output);
            Assert.Equal(batched.AsSpan(i * 60, 60).ToArray(), output);
        }
    }

    /// <summary>Bytes allocated on this thread by <paramref name="action"/>, best of three windows (a window can catch one-off JIT tiering work).</summary>
    private static long AllocatedBy(Action action, int repeats)
    {
        var best = long.MaxValue;
        for (var window = 0; window < 3; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < repeats; i++) action();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return best;
    }

    [Fact]
    public void Single_series_prediction_allocates_nothing_in_steady_state()
    {
        var net = LstmSpec().Build(3);
        var data = Windows(64, 15, 4);
        var output = new float[15 * 4];
        var series = data.Inputs.AsSpan(0, 15).ToArray();
        var warmPredict = System.Diagnostics.Stopwatch.StartNew();
        while (warmPredict.Elapsed < TimeSpan.FromSeconds(1)) net.Predict(series, output);
        Assert.Equal(0, AllocatedBy(() => net.Predict(series, output), 100));
    }

    [Fact]
    public void Mc_dropout_samples_vary_and_are_reproducible_from_the_seed()
    {
        var net = new NetworkSpec(1, [new LstmSpec(8, false, Dropout: 0.2f, RecurrentDropout: 0.2f), new DropoutSpec(0.3f), new DenseSpec(2)]).Build(1);
        var data = Windows(10, 12, 2);
        var a = net.PredictSamples(data, 5, seed: 4);
        var b = net.PredictSamples(data, 5, seed: 4);
        Assert.Equal(5, a.Length);
        for (var s = 0; s < 5; s++) Assert.Equal(a[s], b[s]);
        Assert.NotEqual(a[0], a[1]);
        // Without MC dropout, inference is deterministic and differs from the samples.
        Assert.Equal(net.Predict(data), net.Predict(data));
        net.KeepDropoutAtInference = true;
        Assert.NotEqual(net.Predict(data), net.Predict(data));
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        var net = LstmSpec().Build(1);
        var train = Windows(64, 10, 4, seed: 1);
        // Validation targets that are pure noise: validation MAE wanders and patience 1 stops early.
        var noise = new Random(5);
        var valid = new SequenceData(train.Inputs, train.Count, 10, 1, train.Targets!.Select(_ => (float)noise.NextDouble() * 4).ToArray(), 10, 4);
        var result = Trainer.Fit(net, train, valid, new TrainerOptions { Epochs = 40, BatchSize = 16, Patience = 1, LearningRate = 0.05f });
        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 40);
        var mae = Trainer.Evaluate(net, valid, new Forecasting.Training.Neural.Losses.MeanSquaredError()).Mae;
        Assert.Equal(result.BestValidMae, mae, 6);
        Assert.Equal(result.History[result.BestEpoch - 1].ValidMae, result.BestValidMae);
    }

    [Fact]
    public void Cancellation_stops_training_mid_epoch()
    {
        // An epoch here is ~100 GFLOP (seconds on any CPU), so a cancel after 200 ms lands mid-epoch.
        var net = new NetworkSpec(1, [new LstmSpec(32, true), new LstmSpec(32, true), new DenseSpec(4)]).Build(1);
        var data = Windows(20000, 50, 4);
        using var cts = new CancellationTokenSource();
        var epochs = 0;
        // A dedicated thread, not CancelAfter: a timer callback waits for a thread-pool thread, and
        // with the other test classes busy in parallel that wait has been seconds (a CI failure).
        var canceller = new Thread(() => { Thread.Sleep(200); cts.Cancel(); }) { IsBackground = true };
        canceller.Start();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Fit(net, data, null, new TrainerOptions { Epochs = 5, BatchSize = 32 }, _ => epochs++, cts.Token));
        canceller.Join();
        // No epoch completed: the token was honoured inside the first epoch, not at its end.
        Assert.Equal(0, epochs);
    }

    [Fact]
    public void Progress_callback_reports_every_epoch()
    {
        var net = LstmSpec().Build(1);
        var data = Windows(64, 10, 4);
        var reports = new List<EpochReport>();
        var result = Trainer.Fit(net, data, data, new TrainerOptions { Epochs = 3, BatchSize = 16, ValidMaeLastStepOnly = true }, reports.Add);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(3, r.Epochs));
        Assert.Equal(reports, result.History);
        Assert.All(reports, r => Assert.True(double.IsFinite(r.TrainLoss) && double.IsFinite(r.ValidMae)));
    }
}
