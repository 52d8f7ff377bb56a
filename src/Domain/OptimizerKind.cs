using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>The optimiser of neural kinds.</summary>
[JsonConverter(typeof(WireEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    [JsonStringEnumMemberName("sgd")] Sgd,
    [JsonStringEnumMemberName("adam")] Adam,
    [JsonStringEnumMemberName("nadam")] Nadam,
}
