using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;
using Forecasting.Training.Neural.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Tests;

/// <summary>
/// The torch backend against the managed engine from the same initial weights: forward outputs (relative 1e-5),
/// parameter gradients (relative 1e-4) for every layer kind, each loss, and optimiser steps.
/// </summary>
public sealed class ParityTests
{
    private const int Count = 7, Steps = 12, Features = 2;

    public static TheoryData<string, NetworkSpec> Architectures => new()
    {
        { "dense per step", new NetworkSpec(Features, [new DenseSpec(4, ActivationKind.Tanh), new DenseSpec(3)]) },
        { "flatten dense", new NetworkSpec(Features, [new FlattenSpec(), new DenseSpec(3, ActivationKind.Relu), new DenseSpec(2)], Steps) },
        { "simple rnn seq2vec", new NetworkSpec(Features, [new SimpleRnnSpec(6, true), new SimpleRnnSpec(5), new DenseSpec(3)]) },
        { "simple rnn seq2seq", new NetworkSpec(Features, [new SimpleRnnSpec(6, true), new DenseSpec(3)]) },
        { "ln simple rnn", new NetworkSpec(Features, [new LayerNormSimpleRnnSpec(6, true), new LayerNormSimpleRnnSpec(5), new DenseSpec(2)]) },
        { "lstm", new NetworkSpec(Features, [new LstmSpec(5, true), new LstmSpec(4, true), new DenseSpec(3)]) },
        { "gru", new NetworkSpec(Features, [new GruSpec(5, true), new GruSpec(4), new DenseSpec(3)]) },
        { "conv1d valid stride 2 + gru", new NetworkSpec(Features, [new Conv1DSpec(4, 4, 2), new GruSpec(5, true), new DenseSpec(3)]) },
        { "conv1d same, causal dilated", new NetworkSpec(Features, [new Conv1DSpec(4, 3, 2, 1, ConvPadding.Same, ActivationKind.Relu), new Conv1DSpec(3, 2, 1, 2, ConvPadding.Causal), new DenseSpec(2)]) },
        { "wavenet", new NetworkSpec(Features, [new WaveNetSpec(4, [1, 2, 4]), new Conv1DSpec(3, 1)]) },
        { "dropout (inference)", new NetworkSpec(Features, [new GruSpec(5, true, 0.2f, 0.3f), new DropoutSpec(0.5f), new DenseSpec(2)]) },
    };

    internal static SequenceData RandomData(NetworkSpec spec, int seed, float targetScale = 1f)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, Count * Steps * spec.InputFeatures).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var (outSteps, outFeatures) = spec.Build(0).OutputShape(Steps);
        var targets = Enumerable.Range(0, Count * outSteps * outFeatures).Select(_ => (rng.NextSingle() * 2 - 1) * targetScale).ToArray();
        return new SequenceData(inputs, Count, Steps, spec.InputFeatures, targets, outSteps, outFeatures);
    }

    /// <summary>Non-zero biases and gains, so the parity covers every parameter's path.</summary>
    internal static Network Build(NetworkSpec spec, int seed)
    {
        var network = spec.Build(seed);
        var rng = new Random(seed + 1);
        foreach (var p in network.Parameters.Where(p => p.Shape.Length == 1))
            for (var i = 0; i < p.Length; i++) p.Value[i] += (rng.NextSingle() - 0.5f) * 0.2f;
        return network;
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= relative * Math.Max(scale, 1e-6), $"{what}: max |difference| {worst:e3} exceeds {relative:e0} × max |value| {scale:e3}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ForwardOutputsMatch(string name, NetworkSpec spec)
    {
        var network = Build(spec, 11);
        var data = RandomData(spec, 3);
        var managed = network.Predict(data);
        var torchOutput = new TorchNeuralBackend(new TrainingOptions { TorchThreads = 1 }).Predict(network, data);
        AssertClose(managed, torchOutput, 1e-5, name);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void GradientsMatch(string name, NetworkSpec spec)
    {
        foreach (var lossName in Enum.GetValues<LossKind>())
        {
            var network = Build(spec, 5);
            var data = RandomData(spec, 8, targetScale: 3f);
            Gradients(network, data, lossName, out var managed, out var torchGrads);
            foreach (var p in network.Parameters)
                AssertClose(managed[p.Name], torchGrads[p.Name], 1e-4, $"{name}, {lossName}: d loss / d {p.Name}");
        }
    }

    private static double Gradients(Network network, SequenceData data, LossKind lossName, out Dictionary<string, float[]> managed, out Dictionary<string, float[]> torchGrads)
    {
        var ws = network.GetWorkspace(data.Steps, LaneMath.LanesFor(data.Count));
        var order = Enumerable.Range(0, data.Count).ToArray();
        Network.Gather(data, order, ws, targets: true);
        var mode = new RunMode(true, false, new Random(0), data.Count);
        network.ZeroGrad();
        var y = network.Forward(ws, mode);
        var loss = Loss.Create(lossName).Compute(y, ws.Target, data.Count, ws.OutputGrad);
        network.Backward(ws, ws.OutputGrad, mode);
        managed = network.Parameters.ToDictionary(p => p.Name, p => (float[])p.Grad.Clone());

        using var scope = NewDisposeScope();
        using var model = new TorchNetwork(network, CPU);
        var prediction = model.Forward(TorchNetwork.Inputs(data, CPU), false, new Generator(0));
        var target = tensor(data.Targets!, [data.Count, data.TargetSteps, data.TargetFeatures]);
        var torchLoss = TorchLoss.Compute(lossName, prediction, target);
        torchLoss.backward();
        Assert.Equal(loss, torchLoss.item<float>(), 1e-5 * Math.Max(1, Math.Abs(loss)));
        torchGrads = network.Parameters.ToDictionary(p => p.Name, p => model.Gradient(p.Name));
        return loss;
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.0, false)]
    [InlineData(OptimizerKind.Sgd, 0.9, false)]
    [InlineData(OptimizerKind.Sgd, 0.9, true)]
    [InlineData(OptimizerKind.Adam, 0.0, false)]
    [InlineData(OptimizerKind.Nadam, 0.0, false)]
    public void OptimiserStepsMatch(OptimizerKind optimizerName, double momentum, bool nesterov)
    {
        var spec = new NetworkSpec(Features, [new GruSpec(5, true), new DenseSpec(2)]);
        var data = RandomData(spec, 4);
        var managed = Build(spec, 9);
        var torchNetwork = Build(spec, 9);
        var optimizer = Optimizer.Create(optimizerName, 0.01f, (float)momentum, nesterov);
        var loss = Loss.Create(LossKind.Mse);
        var ws = managed.GetWorkspace(data.Steps, LaneMath.LanesFor(data.Count));
        var mode = new RunMode(true, false, new Random(0), data.Count);
        var samples = Enumerable.Range(0, data.Count).ToArray();

        using var model = new TorchNetwork(torchNetwork, CPU);
        var torchOptimizer = new TorchOptimizer(optimizerName, 0.01f, (float)momentum, nesterov, null, model.Parameters.Select(p => p.Value).ToList());
        using var x = TorchNetwork.Inputs(data, CPU);
        using var y = tensor(data.Targets!, [data.Count, data.TargetSteps, data.TargetFeatures]);
        for (var step = 0; step < 5; step++)
        {
            Trainer.TrainBatch(managed, data, samples, ws, mode, loss, optimizer);
            using var scope = NewDisposeScope();
            torchOptimizer.ZeroGrad();
            TorchLoss.Compute(LossKind.Mse, model.Forward(x, false, new Generator(0)), y).backward();
            torchOptimizer.Step();
        }
        model.Export(torchNetwork);
        foreach (var p in managed.Parameters)
            AssertClose(p.Value, torchNetwork.GetParameter(p.Name).Value, 1e-5, $"{optimizerName} after 5 steps: {p.Name}");
    }
}
