using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Serialization;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// The single-series path (matrix–vector products, <see cref="Network.Predict(ReadOnlySpan{float}, Span{float})"/>)
/// against the batched lane path, for every layer kind and a few stacks.
/// </summary>
public class SingleSeriesTests
{
    private static readonly Dictionary<string, Func<int, int, NetworkSpec>> Stacks = new()
    {
        ["dense"] = (f, _) => new(f, [new DenseSpec(5, ActivationKind.Relu), new DenseSpec(3, ActivationKind.Sigmoid), new DenseSpec(2, ActivationKind.Tanh)]),
        ["flatten"] = (f, steps) => new(f, [new FlattenSpec(), new DenseSpec(3)], steps),
        ["rnn_seq2vec"] = (f, _) => new(f, [new SimpleRnnSpec(7)]),
        ["rnn_seq2seq"] = (f, _) => new(f, [new SimpleRnnSpec(9, true), new SimpleRnnSpec(20, true), new DenseSpec(2)]),
        ["lstm_seq2seq"] = (f, _) => new(f, [new LstmSpec(20, true), new LstmSpec(20, true), new DenseSpec(10)]),
        ["lstm_seq2vec"] = (f, _) => new(f, [new LstmSpec(32, true), new LstmSpec(5), new DenseSpec(1)]),
        ["gru"] = (f, _) => new(f, [new GruSpec(6, true), new GruSpec(16, true), new GruSpec(11), new DenseSpec(3)]),
        ["lnrnn"] = (f, _) => new(f, [new LayerNormSimpleRnnSpec(7, true), new LayerNormSimpleRnnSpec(4)]),
        ["layernorm"] = (f, _) => new(f, [new DenseSpec(6), new LayerNormSpec(), new DenseSpec(2)]),
        ["batchnorm"] = (f, _) => new(f, [new BatchNormSpec(), new SimpleRnnSpec(6, true), new BatchNormSpec(), new DenseSpec(2)]),
        ["dropout"] = (f, _) => new(f, [new LstmSpec(8, true, 0.2f, 0.2f), new DropoutSpec(0.3f), new GruSpec(4, false, 0.1f, 0.1f), new DenseSpec(2)]),
        ["conv_valid_strided"] = (f, _) => new(f, [new Conv1DSpec(5, 4, Strides: 2), new GruSpec(6, true), new DenseSpec(2)]),
        ["conv_same_causal"] = (f, _) => new(f, [new Conv1DSpec(5, 3, Strides: 2, Padding: ConvPadding.Same, Activation: ActivationKind.Relu),
            new Conv1DSpec(4, 2, DilationRate: 2, Padding: ConvPadding.Causal, Activation: ActivationKind.Tanh), new Conv1DSpec(3, 1, Activation: ActivationKind.Sigmoid)]),
        ["wavenet"] = (f, _) => new(f, [new WaveNetSpec(4, [1, 2, 4]), new Conv1DSpec(2, 1)]),
        ["everything"] = (f, _) => new(f,
        [
            new Conv1DSpec(6, 3, Padding: ConvPadding.Causal, Activation: ActivationKind.Relu), new LayerNormSpec(), new GruSpec(6, true, 0.1f, 0.1f), new BatchNormSpec(),
            new LayerNormSimpleRnnSpec(5, true), new DropoutSpec(0.2f), new SimpleRnnSpec(5, true), new WaveNetSpec(4, [1, 2]), new LstmSpec(4, false),
            new DenseSpec(3, ActivationKind.Tanh),
        ]),
    };

    public static TheoryData<string, int, int> Cases()
    {
        var cases = new TheoryData<string, int, int>();
        foreach (var name in Stacks.Keys)
            foreach (var features in new[] { 1, 3 })
                foreach (var steps in new[] { 4, 9, 50 })
                    cases.Add(name, features, steps);
        cases.Add("rnn_seq2seq", 1, 1);
        cases.Add("lstm_seq2vec", 2, 1);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Single_series_path_equals_the_batched_path(string stack, int features, int steps)
    {
        var net = Stacks[stack](features, steps).Build(11);
        Perturb(net, new Random(steps * 31 + features));
        Assert.True(net.HasSeriesPath(steps));
        AssertSingleMatchesBatched(net, RandomInputs(6, steps, features, seed: 5));
    }

    [Fact]
    public void Single_series_path_sees_weights_changed_after_it_ran()
    {
        var spec = Stacks["everything"](1, 12);
        var net = spec.Build(1);
        var data = RandomInputs(40, 12, 1, seed: 2);
        AssertSingleMatchesBatched(net, data);
        // Training changes every weight and the batch-norm statistics in place.
        var train = new SequenceData(data.Inputs, data.Count, 12, 1, new float[data.Count * 3], 1, 3);
        Trainer.Fit(net, train, null, new TrainerOptions { Epochs = 1, BatchSize = 8 });
        AssertSingleMatchesBatched(net, data);
        // Loading replaces them.
        var other = spec.Build(2);
        Perturb(other, new Random(3));
        SafeTensors.Load(net, SafeTensors.Save(other));
        AssertSingleMatchesBatched(net, data);
        AssertSingleMatchesBatched(other, data);
    }

    [Fact]
    public void Mc_dropout_keeps_single_series_predictions_stochastic()
    {
        var net = Stacks["dropout"](1, 10).Build(3);
        var series = RandomInputs(1, 10, 1, seed: 4).Inputs;
        var a = new float[2];
        var b = new float[2];
        net.Predict(series, a);
        net.Predict(series, b);
        Assert.Equal(a, b);
        net.KeepDropoutAtInference = true;
        net.Predict(series, a);
        net.Predict(series, b);
        Assert.NotEqual(a, b);
    }

    /// <summary>A layer without a single-series path: the network falls back to the lane path.</summary>
    private sealed class LaneOnlyScale(string name) : Layer(name)
    {
        public override (int Steps, int Features) OutputShape(int steps, int features) => (steps, features);
        public override LayerState CreateState(int steps, int features, int lanes) => new(new LaneTensor(steps, features, lanes));
        public override void Forward(LayerState state, LaneTensor input, RunMode mode) =>
            System.Numerics.Tensors.TensorPrimitives.Multiply(input.Data, 2f, state.Output.Data);
        public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode) { }
    }

    [Fact]
    public void A_layer_without_a_single_series_path_falls_back_to_the_lane_path()
    {
        var rng = new Random(1);
        var net = new Network(2, [new LstmLayer("lstm.0", 2, 6, true, 0, 0, rng), new LaneOnlyScale("scale.1"), new DenseLayer("dense.2", 6, 3, ActivationKind.Linear, rng)]);
        Assert.False(net.HasSeriesPath(7));
        AssertSingleMatchesBatched(net, RandomInputs(5, 7, 2, seed: 1));
    }

    private static void AssertSingleMatchesBatched(Network net, SequenceData data)
    {
        var batched = net.Predict(data);
        var (outSteps, outFeatures) = net.OutputShape(data.Steps);
        var per = outSteps * outFeatures;
        var output = new float[per];
        for (var i = 0; i < data.Count; i++)
        {
            net.Predict(data.Inputs.AsSpan(i * data.Steps * data.Features, data.Steps * data.Features), output);
            for (var r = 0; r < per; r++)
            {
                var expected = batched[i * per + r];
                Assert.True(Math.Abs(output[r] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                    $"series {i} output {r}: single {output[r]} vs batched {expected}");
            }
        }
    }

    /// <summary>Moves every weight (biases, gains, batch-norm statistics too) off its initial value.</summary>
    private static void Perturb(Network net, Random rng)
    {
        foreach (var p in net.Parameters)
            for (var i = 0; i < p.Length; i++)
            {
                var noise = (float)(rng.NextDouble() - 0.5) * 0.6f;
                p.Value[i] = p.Name.EndsWith("moving_variance") ? 0.5f + Math.Abs(noise) : p.Value[i] + noise;
            }
    }

    private static SequenceData RandomInputs(int count, int steps, int features, int seed)
    {
        var rng = new Random(seed);
        var inputs = new float[count * steps * features];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = (float)(rng.NextDouble() * 2 - 1);
        return new SequenceData(inputs, count, steps, features);
    }
}
