using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Training.NeuralModels;

/// <summary><c>simple_rnn</c>: stacked SimpleRNN layers (tanh), optionally layer-normalised cells, then Dense.</summary>
public sealed class SimpleRnnModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "simple_rnn";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        .. RecurrentLayers.Fields([32]),
        new("layerNorm", ModelFieldType.Boolean, "Layer-normalised cells (the chapter's LNSimpleRNNCell).") { Default = false },
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy)
    {
        // A dropped (univariate) input makes a layer-normalised cell's pre-activations all equal; LayerNorm's
        // backward then scales the gradient by 1/√ε ≈ 31.6 per step, which overflows over long windows.
        if (model.LayerNorm == true && model.Dropout is > 0)
            yield return new FieldError("model.dropout", "Layer-normalised cells take recurrentDropout, not input dropout (a dropped input sequence makes their gradients overflow).");
        foreach (var error in RecurrentLayers.Validate(model, Name)) yield return error;
    }

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs)
    {
        var (dropout, recurrent) = ((float)(model.Dropout ?? 0), (float)(model.RecurrentDropout ?? 0));
        return RecurrentLayers.Stack(model.Units ?? [32], strategy, outputs, (units, sequences) => model.LayerNorm == true
            ? new LayerNormSimpleRnnSpec(units, sequences, dropout, recurrent)
            : new SimpleRnnSpec(units, sequences, dropout, recurrent));
    }
}
