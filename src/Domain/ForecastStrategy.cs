using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>How a window model covers the horizon: all steps at once, one step fed back, or a sequence at every step.</summary>
[JsonConverter(typeof(WireEnumConverter<ForecastStrategy>))]
public enum ForecastStrategy
{
    [JsonStringEnumMemberName("direct")] Direct,
    [JsonStringEnumMemberName("recursive")] Recursive,
    [JsonStringEnumMemberName("seq2seq")] Seq2seq,
}
