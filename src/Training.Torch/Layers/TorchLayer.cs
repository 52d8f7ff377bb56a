using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>
/// One layer of a <see cref="TorchNetwork"/> on [batch, steps, features] tensors, with the managed layer's
/// semantics (docs/engine.md, "Keras semantics kept"). Parameters carry the managed engine's names and shapes, so
/// weights move between the backends by name.
/// </summary>
internal abstract class TorchLayer
{
    protected TorchLayer(string name) => Name = name;

    /// <summary>Prefix of this layer's parameter names, e.g. <c>lstm.0</c>.</summary>
    public string Name { get; }

    public List<(string Name, Tensor Value)> Parameters { get; } = [];

    protected Tensor AddParameter(string suffix, Device device, params long[] shape)
    {
        var p = zeros(shape, ScalarType.Float32, device).requires_grad_(true);
        Parameters.Add(($"{Name}.{suffix}", p));
        return p;
    }

    /// <param name="dropout">Whether dropout masks apply (training, or MC dropout).</param>
    /// <param name="generator">Source of dropout masks.</param>
    public abstract Tensor Forward(Tensor x, bool dropout, Generator generator);

    /// <summary>An inverted-dropout mask of <paramref name="shape"/>: 0 with probability rate, else 1/(1 − rate).</summary>
    protected static Tensor DropoutMask(long[] shape, float rate, Device device, Generator generator) =>
        rand(shape, ScalarType.Float32, CPU, generator: generator).ge(rate).to_type(ScalarType.Float32).mul(1f / (1f - rate)).to(device);

    /// <summary>The layers the torch backend implements; null when every layer of the spec has one, else why not.</summary>
    public static string? Unsupported(NetworkSpec spec)
    {
        foreach (var layer in spec.Layers)
            if (layer is not (DenseSpec or FlattenSpec or DropoutSpec or SimpleRnnSpec or LstmSpec or GruSpec or LayerNormSimpleRnnSpec or Conv1DSpec or WaveNetSpec))
                return $"its {(layer is BatchNormSpec ? "batch normalisation" : layer is LayerNormSpec ? "layer normalisation" : "layer of kind " + layer.GetType().Name.Replace("Spec", ""))} layer has no torch implementation (the torch backend supports Dense, Flatten, Dropout, SimpleRNN, layer-normalised SimpleRNN, LSTM, GRU, Conv1D and WaveNet layers); use training.backend \"managed\" or \"auto\".";
        return null;
    }

    public static TorchLayer Create(LayerSpec spec, int index, int inputs, Device device) => spec switch
    {
        DenseSpec d => new TorchDense($"dense.{index}", inputs, d.Units, d.Activation, device),
        FlattenSpec => new TorchFlatten(),
        DropoutSpec d => new TorchDropout(d.Rate),
        SimpleRnnSpec r => new TorchSimpleRnn($"rnn.{index}", inputs, r.Units, r.ReturnSequences, r.Dropout, r.RecurrentDropout, device, layerNorm: false),
        LayerNormSimpleRnnSpec r => new TorchSimpleRnn($"lnrnn.{index}", inputs, r.Units, r.ReturnSequences, r.Dropout, r.RecurrentDropout, device, layerNorm: true),
        LstmSpec r => new TorchLstm($"lstm.{index}", inputs, r.Units, r.ReturnSequences, r.Dropout, r.RecurrentDropout, device),
        GruSpec r => new TorchGru($"gru.{index}", inputs, r.Units, r.ReturnSequences, r.Dropout, r.RecurrentDropout, device),
        Conv1DSpec c => new TorchConv1D($"conv1d.{index}", inputs, c.Filters, c.KernelSize, c.Strides, c.DilationRate, c.Padding, c.Activation, device),
        WaveNetSpec w => new TorchWaveNet($"wavenet.{index}", inputs, w.Filters, w.Dilations, w.KernelSize, device),
        _ => throw new NotSupportedException(Unsupported(new NetworkSpec(inputs, [spec]))),
    };

    /// <summary>The managed engine's activations.</summary>
    public static Tensor Activate(Tensor z, ActivationKind activation) => activation switch
    {
        ActivationKind.Linear => z,
        ActivationKind.Relu => z.relu(),
        ActivationKind.Tanh => z.tanh(),
        ActivationKind.Sigmoid => z.sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };
}
