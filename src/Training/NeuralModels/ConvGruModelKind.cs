using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// <c>conv_gru</c>: a valid Conv1D (<c>filters</c>, <c>kernelSize</c>, <c>strides</c>; default 32, 4, 2 as the
/// chapter) shortening the sequence, then GRU layers and Dense. For seq2seq the targets are cropped and
/// down-sampled to the convolution's outputs (<c>[kernelSize−1::strides]</c>).
/// </summary>
public sealed class ConvGruModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "conv_gru";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("filters", ModelFieldType.Integer, "Filters of the convolution.") { Default = 32, Minimum = 1, Maximum = 1024 },
        new("kernelSize", ModelFieldType.Integer, "Kernel size of the convolution.") { Default = 4, Minimum = 1, Maximum = 64 },
        new("strides", ModelFieldType.Integer, "Strides of the convolution, at most kernelSize.") { Default = 2, Minimum = 1, Maximum = 64 },
        .. RecurrentLayers.Fields([32, 32]),
    ];

    protected override bool DropoutReadsInputs => false;

    private static (int Filters, int Kernel, int Strides) Conv(ModelSpec model) => (model.Filters ?? 32, model.KernelSize ?? 4, model.Strides ?? 2);

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy)
    {
        var (filters, kernel, strides) = Conv(model);
        if (filters is < 1 or > 1024) yield return new FieldError("model.filters", "filters must be between 1 and 1024.");
        if (kernel is < 1 or > 64) yield return new FieldError("model.kernelSize", "kernelSize must be between 1 and 64.");
        if (strides < 1 || strides > kernel) yield return new FieldError("model.strides", "strides must be between 1 and kernelSize.");
        foreach (var error in RecurrentLayers.Validate(model, Name)) yield return error;
    }

    protected override TargetShape SequenceTargets(ModelSpec model)
    {
        var (_, kernel, strides) = Conv(model);
        return new TargetShape(true, kernel - 1, strides);
    }

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs)
    {
        var (filters, kernel, strides) = Conv(model);
        var layers = new List<LayerSpec> { new Conv1DSpec(filters, kernel, strides) };
        layers.AddRange(RecurrentLayers.Stack(model.Units ?? [32, 32], strategy, outputs,
            (units, sequences) => new GruSpec(units, sequences, (float)(model.Dropout ?? 0), (float)(model.RecurrentDropout ?? 0))));
        return layers;
    }
}
