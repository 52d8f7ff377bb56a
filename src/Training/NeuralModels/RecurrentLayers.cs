using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;

namespace Forecasting.Training.NeuralModels;

/// <summary>A stack of recurrent layers (all returning sequences but the last, unless seq2seq) and a Dense head.</summary>
internal static class RecurrentLayers
{
    /// <summary>The fields of a recurrent stack: units per layer (defaulting to <paramref name="units"/>) and dropout.</summary>
    public static IEnumerable<ModelField> Fields(int[] units) =>
    [
        new("units", ModelFieldType.Integers, "Units of each stacked recurrent layer, one entry per layer.") { Default = units, Minimum = 1, Maximum = 4096 },
        new("dropout", ModelFieldType.Number, "Dropout on the layers' inputs; with it the intervals come from MC-dropout passes.") { Default = 0, Minimum = 0, ExclusiveMaximum = 1 },
        new("recurrentDropout", ModelFieldType.Number, "Dropout on the recurrent state; with it the intervals come from MC-dropout passes.") { Default = 0, Minimum = 0, ExclusiveMaximum = 1 },
    ];

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
