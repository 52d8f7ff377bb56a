using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// <c>wavenet</c>: causal dilated Conv1D layers (<c>dilations</c>, default 1, 2, 4, 8 twice; <c>filters</c>, default
/// 32; ReLU, as the chapter's simplified WaveNet), or with <c>gated</c> the paper's residual blocks with gated
/// activation units and skip connections; then a 1×1 head. It outputs a forecast at every step, so it is
/// trained sequence-to-sequence and the last step's outputs are the forecast.
/// </summary>
public sealed class WaveNetModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "wavenet";

    protected override IReadOnlyList<ForecastStrategy> Strategies => [ForecastStrategy.Seq2seq];

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("filters", ModelFieldType.Integer, "Filters of each dilated convolution.") { Default = 32, Minimum = 1, Maximum = 1024 },
        new("dilations", ModelFieldType.Integers, "The dilation of each causal convolution layer, in order.") { Default = new[] { 1, 2, 4, 8, 1, 2, 4, 8 }, Minimum = 1, Maximum = 4096 },
        new("gated", ModelFieldType.Boolean, "The paper's residual blocks with gated activations and skip connections, instead of the chapter's ReLU stack.") { Default = false },
    ];

    private static int[] DilationsOf(ModelSpec model) => model.Dilations?.ToArray() ?? [1, 2, 4, 8, 1, 2, 4, 8];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy)
    {
        if (model.Filters is < 1 or > 1024) yield return new FieldError("model.filters", "filters must be between 1 and 1024.");
        if (model.Dilations is { Count: 0 }) yield return new FieldError("model.dilations", "Give at least one dilation, e.g. [1, 2, 4, 8].");
        if (model.Dilations?.Any(d => d is < 1 or > 4096) == true) yield return new FieldError("model.dilations", "Dilations are between 1 and 4096.");
        if (HasDropout(model)) yield return new FieldError("model.dropout", "wavenet has no dropout; use a recurrent kind for MC-dropout intervals.");
    }

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs)
    {
        var filters = model.Filters ?? 32;
        var dilations = DilationsOf(model);
        if (model.Gated == true) return [new WaveNetSpec(filters, dilations), new Conv1DSpec(outputs, 1)];
        var layers = dilations.Select(d => (LayerSpec)new Conv1DSpec(filters, 2, 1, d, ConvPadding.Causal, ActivationKind.Relu)).ToList();
        layers.Add(new Conv1DSpec(outputs, 1));
        return layers;
    }
}
