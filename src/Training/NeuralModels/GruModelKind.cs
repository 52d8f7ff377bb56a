using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Training.NeuralModels;

/// <summary><c>gru</c>: stacked GRU layers (Keras reset_after form), then Dense.</summary>
public sealed class GruModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "gru";

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy)
    {
        if (model.LayerNorm == true) yield return new FieldError("model.layerNorm", "Layer-normalised cells are available for simple_rnn (the chapter's LNSimpleRNNCell).");
        foreach (var error in RecurrentLayers.Validate(model, Name)) yield return error;
    }

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs) =>
        RecurrentLayers.Stack(model.Units ?? [20, 20], strategy, outputs,
            (units, sequences) => new GruSpec(units, sequences, (float)(model.Dropout ?? 0), (float)(model.RecurrentDropout ?? 0)));
}
