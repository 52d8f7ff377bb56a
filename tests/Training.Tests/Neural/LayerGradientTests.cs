using Forecasting.Domain;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using R = Forecasting.Training.Tests.Neural.ReferenceLayers;

namespace Forecasting.Training.Tests.Neural;

/// <summary>Every layer's forward against a float64 reference and its gradients against float64 central differences.</summary>
public class LayerGradientTests
{
    private static Random Rng() => new(11);

    /// <summary>The reference layers name activations as Keras does; the engine takes the enum of those names.</summary>
    private static ActivationKind ActivationNamed(string name) =>
        WireNames.TryParse<ActivationKind>(name, out var kind) ? kind : throw new ArgumentException($"no activation '{name}'");

    [Theory]
    [InlineData("linear", 1)]
    [InlineData("relu", 4)]
    [InlineData("tanh", 3)]
    [InlineData("sigmoid", 1)]
    public void Dense(string act, int steps)
    {
        var layer = new DenseLayer("dense.0", 3, 4, ActivationNamed(act), Rng());
        GradientCheck.Run(layer, 3, steps, 3, (p, x, b) => R.Dense(p, x, b, steps, 3, 4, act));
    }

    [Fact]
    public void Flatten_then_dense()
    {
        var flatten = new FlattenLayer("flatten.0");
        GradientCheck.Run(flatten, 2, 4, 2, (_, x, _) => x, modeFactory: null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SimpleRnn(bool returnSequences)
    {
        var layer = new SimpleRnnLayer("rnn.0", 2, 3, returnSequences, 0, 0, Rng());
        GradientCheck.Run(layer, 3, 5, 2, (p, x, b) => R.SimpleRnn(p, x, b, 5, 2, 3, returnSequences));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lstm(bool returnSequences)
    {
        var layer = new LstmLayer("lstm.0", 2, 3, returnSequences, 0, 0, Rng());
        GradientCheck.Run(layer, 3, 5, 2, (p, x, b) => R.Lstm(p, x, b, 5, 2, 3, returnSequences));
    }

    [Fact]
    public void Lstm_wide_vectors()
    {
        // 4 units × 8 lanes = 32 floats per gate block: the 16-float (AVX-512) cell path when available.
        var layer = new LstmLayer("lstm.0", 3, 4, true, 0, 0, Rng());
        GradientCheck.Run(layer, 5, 4, 3, (p, x, b) => R.Lstm(p, x, b, 4, 3, 4, true));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gru(bool returnSequences)
    {
        var layer = new GruLayer("gru.0", 2, 3, returnSequences, 0, 0, Rng());
        GradientCheck.Run(layer, 3, 5, 2, (p, x, b) => R.Gru(p, x, b, 5, 2, 3, returnSequences));
    }

    [Fact]
    public void LayerNormSimpleRnn()
    {
        var layer = new LayerNormSimpleRnnLayer("lnrnn.0", 2, 4, true, 0, 0, Rng());
        GradientCheck.Run(layer, 3, 4, 2, (p, x, b) => R.LayerNormRnn(p, x, b, 4, 2, 4, true));
    }

    [Fact]
    public void LayerNorm()
    {
        var layer = new LayerNormLayer("layernorm.0", 4);
        GradientCheck.Run(layer, 3, 3, 4, (p, x, b) => R.LayerNorm(p, x, b, 3, 4));
    }

    [Fact]
    public void BatchNorm_training_mode()
    {
        var layer = new BatchNormLayer("batchnorm.0", 3);
        GradientCheck.Run(layer, 5, 3, 3, (p, x, b) => R.BatchNormTraining(p, x, b, 3, 3));
    }

    [Theory]
    [InlineData(3, 1, 1, "valid", "linear", 7)]
    [InlineData(4, 2, 1, "valid", "relu", 9)]
    [InlineData(2, 1, 2, "causal", "linear", 6)]
    [InlineData(3, 2, 1, "same", "tanh", 7)]
    [InlineData(2, 3, 2, "causal", "linear", 8)]
    public void Conv1D(int kernel, int stride, int dilation, string padding, string act, int steps)
    {
        var pad = padding switch { "valid" => ConvPadding.Valid, "causal" => ConvPadding.Causal, _ => ConvPadding.Same };
        var layer = new Conv1DLayer("conv1d.0", 2, 3, kernel, stride, dilation, pad, ActivationNamed(act), Rng());
        GradientCheck.Run(layer, 2, steps, 2, (p, x, b) => R.Conv1D(p, x, b, steps, 2, 3, kernel, stride, dilation, padding, act, out _));
    }

    /// <summary>Batch 32 (32 lanes): the AVX-512 form of the fused convolution kernel, forward and input gradient.</summary>
    [Theory]
    [InlineData(2, 1, 4, "causal", "relu", 9)]
    [InlineData(3, 1, 1, "same", "linear", 6)]
    public void Conv1D_on_32_lanes(int kernel, int stride, int dilation, string padding, string act, int steps)
    {
        var pad = padding switch { "valid" => ConvPadding.Valid, "causal" => ConvPadding.Causal, _ => ConvPadding.Same };
        var layer = new Conv1DLayer("conv1d.0", 5, 6, kernel, stride, dilation, pad, ActivationNamed(act), Rng());
        GradientCheck.Run(layer, 32, steps, 5, (p, x, b) => R.Conv1D(p, x, b, steps, 5, 6, kernel, stride, dilation, padding, act, out _));
    }

    [Fact]
    public void WaveNet_gated_residual_blocks()
    {
        int[] dilations = [1, 2, 1];
        var layer = new WaveNetLayer("wavenet.0", 1, 3, dilations, 2, Rng());
        GradientCheck.Run(layer, 2, 6, 1, (p, x, b) => R.WaveNet(p, x, b, 6, 1, 3, dilations, 2));
    }

    /// <summary>Keras masks: one per sequence and feature, drawn input mask first, then recurrent mask.</summary>
    private static (R.Mask Input, R.Mask Recurrent) Masks(int seed, int inputs, int units, int lanes, float rate, float recurrentRate)
    {
        var rng = new Random(seed);
        var mx = new double[inputs * lanes];
        var mh = new double[units * lanes];
        for (var i = 0; i < mx.Length; i++) mx[i] = rng.NextSingle() >= rate ? 1f / (1f - rate) : 0f;
        for (var i = 0; i < mh.Length; i++) mh[i] = rng.NextSingle() >= recurrentRate ? 1f / (1f - recurrentRate) : 0f;
        return ((b, f) => mx[f * lanes + b], (b, k) => mh[k * lanes + b]);
    }

    [Fact]
    public void Lstm_with_dropout_and_recurrent_dropout()
    {
        var layer = new LstmLayer("lstm.0", 2, 3, true, 0.3f, 0.4f, Rng());
        var (mx, mh) = Masks(5, 2, 3, LaneMath.LanesFor(3), 0.3f, 0.4f);
        GradientCheck.Run(layer, 3, 4, 2, (p, x, b) => R.Lstm(p, x, b, 4, 2, 3, true, mx, mh), modeFactory: () => new RunMode(true, true, new Random(5), 3));
    }

    [Fact]
    public void Gru_with_dropout_and_recurrent_dropout()
    {
        var layer = new GruLayer("gru.0", 2, 3, false, 0.25f, 0.5f, Rng());
        var (mx, mh) = Masks(9, 2, 3, LaneMath.LanesFor(3), 0.25f, 0.5f);
        GradientCheck.Run(layer, 3, 4, 2, (p, x, b) => R.Gru(p, x, b, 4, 2, 3, false, mx, mh), modeFactory: () => new RunMode(true, true, new Random(9), 3));
    }

    [Fact]
    public void SimpleRnn_with_recurrent_dropout()
    {
        var layer = new SimpleRnnLayer("rnn.0", 2, 3, true, 0.2f, 0.3f, Rng());
        var (mx, mh) = Masks(4, 2, 3, LaneMath.LanesFor(3), 0.2f, 0.3f);
        GradientCheck.Run(layer, 3, 4, 2, (p, x, b) => R.SimpleRnn(p, x, b, 4, 2, 3, true, mx, mh), modeFactory: () => new RunMode(true, true, new Random(4), 3));
    }

    [Fact]
    public void Dropout_masks_elements_and_passes_gradient_through_the_mask()
    {
        var layer = new DropoutLayer("dropout.0", 0.5f);
        var state = layer.CreateState(3, 4, 8);
        var x = new LaneTensor(3, 4, 8);
        for (var i = 0; i < x.Data.Length; i++) x.Data[i] = 1f + i;
        layer.Forward(state, x, new RunMode(true, true, new Random(3), 8));
        var kept = 0;
        for (var i = 0; i < x.Data.Length; i++)
        {
            var ratio = state.Output.Data[i] / x.Data[i];
            Assert.True(ratio == 0f || ratio == 2f, $"element {i}: ratio {ratio}");
            if (ratio != 0) kept++;
        }
        Assert.InRange(kept, 24, 72);
        var g = new LaneTensor(3, 4, 8);
        Array.Fill(g.Data, 1f);
        var gx = new LaneTensor(3, 4, 8);
        layer.Backward(state, x, g, gx, new RunMode(true, true, new Random(3), 8));
        for (var i = 0; i < x.Data.Length; i++) Assert.Equal(state.Output.Data[i] / x.Data[i], gx.Data[i]);
        // Inference without MC dropout: identity.
        layer.Forward(state, x, new RunMode(false, false, new Random(3), 8));
        Assert.Equal(x.Data, state.Output.Data);
    }

    [Fact]
    public void BatchNorm_inference_uses_moving_statistics()
    {
        var layer = new BatchNormLayer("batchnorm.0", 2, momentum: 0.5f);
        var state = layer.CreateState(2, 2, 8);
        var x = new LaneTensor(2, 2, 8);
        var rng = new Random(1);
        for (var i = 0; i < x.Data.Length; i++) x.Data[i] = (float)rng.NextDouble() * 4 + 3;
        layer.Forward(state, x, new RunMode(true, false, rng, 8));
        var mean = layer.Parameters.Single(p => p.Name.EndsWith("moving_mean")).Value;
        // moving = 0.5·0 + 0.5·batch mean.
        var batchMean = Enumerable.Range(0, 2).SelectMany(t => Enumerable.Range(0, 8).Select(b => x.Data[x.Offset(t, 0) + b])).Average();
        Assert.Equal(0.5 * batchMean, mean[0], 5);
        layer.Forward(state, x, new RunMode(false, false, rng, 8));
        var variance = layer.Parameters.Single(p => p.Name.EndsWith("moving_variance")).Value;
        var expected = (x.Data[0] - mean[0]) / MathF.Sqrt(variance[0] + 1e-3f);
        Assert.Equal(expected, state.Output.Data[0], 5);
    }
}
