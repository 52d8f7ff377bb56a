using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>The JSON shape of a model field's value.</summary>
[JsonConverter(typeof(WireEnumConverter<ModelFieldType>))]
public enum ModelFieldType
{
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("number")] Number,
    [JsonStringEnumMemberName("boolean")] Boolean,

    /// <summary>A list of integers (one per layer, the orders of a model …).</summary>
    [JsonStringEnumMemberName("integers")] Integers,

    /// <summary>One string of <see cref="ModelField.Choices"/>.</summary>
    [JsonStringEnumMemberName("choice")] Choice,
}
