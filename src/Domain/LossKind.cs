using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>The training loss of neural kinds.</summary>
[JsonConverter(typeof(WireEnumConverter<LossKind>))]
public enum LossKind
{
    [JsonStringEnumMemberName("mse")] Mse,
    [JsonStringEnumMemberName("huber")] Huber,
    [JsonStringEnumMemberName("mae")] Mae,
}
