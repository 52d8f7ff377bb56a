using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// Reads a time point given as a string ("2019-05-31", "44") or, for step-indexed data, a bare number (44).
/// </summary>
public sealed class TimePointJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var step) ? step.ToString(CultureInfo.InvariantCulture)
            : throw new JsonException("A step number must be an integer."),
        JsonTokenType.Null => null,
        _ => throw new JsonException("A time point is an ISO date string or an integer step."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
