using System.Reflection;
using System.Text.Json;
using Forecasting.Domain;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// The model fields each kind reads. A field the chosen kind does not read (units for seasonal_naive, kernelSize
/// for wavenet, whose kernel is the chapter's 2) would be accepted and ignored; it is refused instead.
/// Kinds not listed here are not checked.
/// </summary>
public static class ModelFields
{
    private static readonly string[] Recurrent = ["units", "layerNorm", "dropout", "recurrentDropout"];

    private static readonly Dictionary<string, string[]> Read = new()
    {
        ["naive"] = [],
        ["linear"] = [],
        ["seasonal_naive"] = ["season"],
        ["auto_sarima"] = ["season", "search"],
        ["sarima"] = ["order", "seasonalOrder", "includeConstant"],
        ["simple_rnn"] = Recurrent,
        ["lstm"] = Recurrent,
        ["gru"] = Recurrent,
        ["conv_gru"] = [.. Recurrent, "filters", "kernelSize", "strides"],
        ["wavenet"] = ["filters", "dilations", "gated"],
    };

    private static readonly PropertyInfo[] Properties = typeof(ModelSpec).GetProperties()
        .Where(p => p.Name != nameof(ModelSpec.Kind)).ToArray();

    public static IEnumerable<FieldError> Check(ModelSpec model)
    {
        if (!Read.TryGetValue(model.Kind, out var read)) yield break;
        foreach (var property in Properties)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (property.GetValue(model) is not null && !read.Contains(name))
                yield return new FieldError($"model.{name}", $"'{model.Kind}' does not use {name}; " +
                    (read.Length == 0 ? "it takes no other model fields." : $"its fields are {string.Join(", ", read)}."));
        }
    }
}
