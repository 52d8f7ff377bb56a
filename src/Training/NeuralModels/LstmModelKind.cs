using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Training.NeuralModels;

/// <summary><c>lstm</c>: stacked LSTM layers (forget-gate bias 1), then Dense.</summary>
public sealed class LstmModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "lstm";

    protected override IReadOnlyList<ModelField> Fields => [.. RecurrentLayers.Fields([20, 20])];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy) => RecurrentLayers.Validate(model, Name);

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs) =>
        RecurrentLayers.Stack(model.Units ?? [20, 20], strategy, outputs,
            (units, sequences) => new LstmSpec(units, sequences, (float)(model.Dropout ?? 0), (float)(model.RecurrentDropout ?? 0)));
}
