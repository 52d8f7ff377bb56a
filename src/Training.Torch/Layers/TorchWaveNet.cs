using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>
/// The WaveNet body as the managed <c>WaveNetLayer</c>: causal Conv1D(filters, kernel) on the input, per dilation a
/// causal dilated Conv1D(2·filters) → tanh(a) ⊙ σ(b) → Conv1D(filters, 1) = s with x ← x + s and s summed as a skip,
/// then ReLU(Σ skips) → Conv1D(filters, 1, relu).
/// </summary>
internal sealed class TorchWaveNet : TorchLayer
{
    private readonly TorchConv1D _input;
    private readonly TorchConv1D[] _dilated;
    private readonly TorchConv1D[] _residual;
    private readonly TorchConv1D _head;
    private readonly int _filters;

    public TorchWaveNet(string name, int inputs, int filters, int[] dilations, int kernel, Device device) : base(name)
    {
        _filters = filters;
        _input = new TorchConv1D($"{name}.input", inputs, filters, kernel, 1, 1, ConvPadding.Causal, ActivationKind.Linear, device);
        _dilated = dilations.Select((d, j) => new TorchConv1D($"{name}.block{j}.dilated", filters, 2 * filters, kernel, 1, d, ConvPadding.Causal, ActivationKind.Linear, device)).ToArray();
        _residual = dilations.Select((_, j) => new TorchConv1D($"{name}.block{j}.residual", filters, filters, 1, 1, 1, ConvPadding.Valid, ActivationKind.Linear, device)).ToArray();
        _head = new TorchConv1D($"{name}.head", filters, filters, 1, 1, 1, ConvPadding.Valid, ActivationKind.Relu, device);
        Parameters.AddRange(_input.Owned);
        foreach (var conv in _dilated.Concat(_residual).Append(_head)) Parameters.AddRange(conv.Owned);
    }

    public override Tensor Forward(Tensor x, bool dropout, Generator generator)
    {
        x = _input.Forward(x, dropout, generator);
        Tensor? skips = null;
        for (var j = 0; j < _dilated.Length; j++)
        {
            var z = _dilated[j].Forward(x, dropout, generator);
            var gated = z.narrow(-1, 0, _filters).tanh().mul(z.narrow(-1, _filters, _filters).sigmoid());
            var s = _residual[j].Forward(gated, dropout, generator);
            x = x.add(s);
            skips = skips is null ? s : skips.add(s);
        }
        return _head.Forward((skips ?? zeros_like(x)).relu(), dropout, generator);
    }
}
