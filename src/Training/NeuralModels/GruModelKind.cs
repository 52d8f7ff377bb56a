using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Training.NeuralModels;

/// <summary><c>gru</c>: stacked GRU layers (Keras reset_after form), then Dense.</summary>
public sealed class GruModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "gru";

    protected override IReadOnlyList<ModelField> Fields => [.. RecurrentLayers.Fields([20, 20])];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy) => RecurrentLayers.Validate(model, Name);

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs) =>
        RecurrentLayers.Stack(model.Units ?? [20, 20], strategy, outputs,
            (units, sequences) => new GruSpec(units, sequences, (float)(model.Dropout ?? 0), (float)(model.RecurrentDropout ?? 0)));
}
