using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>A dataset column's kind, by its wire name in responses and in the stored column metadata.</summary>
[JsonConverter(typeof(WireEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    [JsonStringEnumMemberName("numeric")] Numeric,
    [JsonStringEnumMemberName("categorical")] Categorical,
}
