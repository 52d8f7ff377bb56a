using Forecasting.Training.Neural;
using Forecasting.Training.Torch.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>
/// A managed <see cref="Network"/>'s architecture as torch layers on one device, with its parameters under the
/// same names and shapes: <see cref="Import"/> copies the managed weights in, <see cref="Export"/> writes the
/// trained ones back, so a torch-trained model is stored and served in the managed layout.
/// </summary>
internal sealed class TorchNetwork : IDisposable
{
    private readonly List<TorchLayer> _layers = [];

    /// <summary>The architecture of <paramref name="network"/> (built from a spec) with its current weights.</summary>
    public TorchNetwork(Network network, Device device)
    {
        var spec = network.Spec ?? throw new ArgumentException("the torch backend needs a network built from a NetworkSpec");
        if (TorchLayer.Unsupported(spec) is { } why) throw new NotSupportedException(why);
        Device = device;
        var features = spec.InputFeatures;
        var steps = spec.InputSteps ?? 64; // only Flatten's output depends on the length, and it needs InputSteps
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            _layers.Add(TorchLayer.Create(spec.Layers[i], i, features, device));
            (steps, features) = network.Layers[i].OutputShape(steps, features);
        }
        Parameters = _layers.SelectMany(l => l.Parameters).ToList();
        Import(network);
    }

    public Device Device { get; }

    public IReadOnlyList<(string Name, Tensor Value)> Parameters { get; }

    /// <summary>[batch, steps, features] → [batch, outSteps, outFeatures].</summary>
    public Tensor Forward(Tensor x, bool dropout, Generator generator)
    {
        foreach (var layer in _layers) x = layer.Forward(x, dropout, generator);
        return x;
    }

    /// <summary>Copies every parameter's values from the managed network (names and shapes must match).</summary>
    public void Import(Network network)
    {
        foreach (var (name, value) in Parameters)
        {
            var source = network.GetParameter(name);
            if (!source.Shape.Select(d => (long)d).SequenceEqual(value.shape))
                throw new InvalidOperationException($"parameter {name}: managed shape [{string.Join(", ", source.Shape)}], torch [{string.Join(", ", value.shape)}]");
            Upload(source.Value, value);
        }
    }

    /// <summary>Writes every parameter's values into the managed network.</summary>
    public void Export(Network network)
    {
        using var _ = no_grad();
        foreach (var (name, value) in Parameters) Download(value, network.GetParameter(name).Value);
    }

    /// <summary>[count, steps, features] inputs of a data set on a device.</summary>
    public static Tensor Inputs(SequenceData data, Device device) =>
        tensor(data.Inputs.AsSpan(0, data.Count * data.Steps * data.Features).ToArray(), [data.Count, data.Steps, data.Features], ScalarType.Float32, device);

    /// <summary>Copies a tensor's float32 values into <paramref name="values"/> (row-major, its whole length).</summary>
    public static void Download(Tensor tensor, float[] values)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        cpu.data<float>().CopyTo(values);
    }

    /// <summary>Overwrites a tensor's values with <paramref name="values"/>; <see cref="InvalidDataException"/> when the lengths differ.</summary>
    public static void Upload(float[] values, Tensor into)
    {
        if (values.LongLength != into.numel()) throw new InvalidDataException($"{values.Length} values for a tensor of {into.numel()}");
        using var _ = no_grad();
        using var source = tensor(values, into.shape, ScalarType.Float32);
        into.copy_(source);
    }

    /// <summary>The gradient of a parameter, as float32 values (tests).</summary>
    public float[] Gradient(string name)
    {
        var value = Parameters.First(p => p.Name == name).Value;
        using var grad = value.grad is { } g ? g.cpu().contiguous() : zeros_like(value).cpu();
        return grad.data<float>().ToArray();
    }

    public void Dispose()
    {
        foreach (var (_, value) in Parameters) value.Dispose();
    }
}
