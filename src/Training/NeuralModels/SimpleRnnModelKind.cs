using Forecasting.Domain;
using Forecasting.Training.Neural;

namespace Forecasting.Training.NeuralModels;

/// <summary><c>simple_rnn</c>: stacked SimpleRNN layers (tanh), optionally layer-normalised cells, then Dense.</summary>
public sealed class SimpleRnnModelKind : NeuralModelKind
{
    public override string Name => "simple_rnn";

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, string strategy) => RecurrentLayers.Validate(model, Name);

    protected override List<LayerSpec> Layers(ModelSpec model, string strategy, int outputs)
    {
        var (dropout, recurrent) = ((float)(model.Dropout ?? 0), (float)(model.RecurrentDropout ?? 0));
        return RecurrentLayers.Stack(model.Units ?? [32], strategy, outputs, (units, sequences) => model.LayerNorm == true
            ? new LayerNormSimpleRnnSpec(units, sequences, dropout, recurrent)
            : new SimpleRnnSpec(units, sequences, dropout, recurrent));
    }
}
