using Forecasting.Domain;
using Forecasting.Training.Neural;

namespace Forecasting.Training.NeuralModels;

/// <summary>A stack of recurrent layers (all returning sequences but the last, unless seq2seq) and a Dense head.</summary>
internal static class RecurrentLayers
{
    public static IEnumerable<FieldError> Validate(ModelSpec model, string kind)
    {
        if (model.Units is { Count: 0 }) yield return new FieldError("model.units", $"{kind} needs at least one layer, e.g. units: [32].");
        for (var i = 0; i < (model.Units?.Count ?? 0); i++)
            if (model.Units![i] is < 1 or > 4096) yield return new FieldError($"model.units[{i}]", "A layer has between 1 and 4096 units.");
    }

    public static List<LayerSpec> Stack(IReadOnlyList<int> units, ForecastStrategy strategy, int outputs, Func<int, bool, LayerSpec> layer)
    {
        var layers = new List<LayerSpec>();
        for (var i = 0; i < units.Count; i++) layers.Add(layer(units[i], strategy == ForecastStrategy.Seq2seq || i < units.Count - 1));
        layers.Add(new DenseSpec(outputs));
        return layers;
    }
}
