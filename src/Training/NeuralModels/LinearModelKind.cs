using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Training.NeuralModels;

/// <summary><c>linear</c>: one Dense layer on the flattened window (the chapter's first neural baseline).</summary>
public sealed class LinearModelKind(NeuralBackends? backends = null) : NeuralModelKind(backends)
{
    public override string Name => "linear";

    protected override IReadOnlyList<ForecastStrategy> Strategies => [ForecastStrategy.Direct, ForecastStrategy.Recursive];

    protected override IReadOnlyList<ModelField> Fields => [];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, ForecastStrategy strategy)
    {
        if (HasDropout(model)) yield return new FieldError("model.dropout", "The linear model has no dropout; use simple_rnn, lstm or gru for MC-dropout intervals.");
    }

    protected override List<LayerSpec> Layers(ModelSpec model, ForecastStrategy strategy, int outputs) => [new FlattenSpec(), new DenseSpec(outputs)];
}
