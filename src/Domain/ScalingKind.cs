using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>none, divide (by a constant, as the chapter's 1e6) or standard (mean/std of the training split).</summary>
[JsonConverter(typeof(WireEnumConverter<ScalingKind>))]
public enum ScalingKind
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("divide")] Divide,
    [JsonStringEnumMemberName("standard")] Standard,
}
