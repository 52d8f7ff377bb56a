using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Neural.Layers;

/// <summary>Keras Conv1D padding modes (Keras names, as stored in a network spec).</summary>
[JsonConverter(typeof(WireEnumConverter<ConvPadding>))]
public enum ConvPadding
{
    [JsonStringEnumMemberName("valid")] Valid,
    [JsonStringEnumMemberName("same")] Same,
    [JsonStringEnumMemberName("causal")] Causal,
}
