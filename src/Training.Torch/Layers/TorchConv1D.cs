using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch.Layers;

/// <summary>
/// Keras Conv1D over time: <c>weight</c> [filters, in, kernel], <c>bias</c> [filters]; stride, dilation, and padding
/// valid, same (left pad ⌊total/2⌋) or causal (left pad (kernel − 1)·dilation).
/// </summary>
internal sealed class TorchConv1D : TorchLayer
{
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly int _kernel, _stride, _dilation;
    private readonly ConvPadding _padding;
    private readonly ActivationKind _activation;

    public TorchConv1D(string name, int inputs, int filters, int kernel, int stride, int dilation, ConvPadding padding, ActivationKind activation, Device device)
        : base(name)
    {
        _weight = AddParameter("weight", device, filters, inputs, kernel);
        _bias = AddParameter("bias", device, filters);
        (_kernel, _stride, _dilation) = (kernel, stride, dilation);
        _padding = padding;
        _activation = activation;
    }

    public override Tensor Forward(Tensor x, bool dropout, Generator generator)
    {
        var steps = x.shape[1];
        var span = (_kernel - 1L) * _dilation + 1;
        var (left, right) = _padding switch
        {
            ConvPadding.Causal => (span - 1, 0L),
            ConvPadding.Same => Same(steps, span),
            _ => (0L, 0L),
        };
        var channels = x.transpose(1, 2);
        if (left + right > 0) channels = nn.functional.pad(channels, [left, right]);
        var y = nn.functional.conv1d(channels, _weight, _bias, stride: _stride, dilation: _dilation);
        return Activate(y.transpose(1, 2), _activation);
    }

    private (long Left, long Right) Same(long steps, long span)
    {
        var length = (steps + _stride - 1) / _stride;
        var total = Math.Max(0, (length - 1) * _stride + span - steps);
        return (total / 2, total - total / 2);
    }

    /// <summary>For a layer inside another (WaveNet): the parameters under their full names.</summary>
    public IEnumerable<(string Name, Tensor Value)> Owned => Parameters;
}
