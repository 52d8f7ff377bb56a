using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Api.Http;

/// <summary>
/// Text fields must be valid Unicode: System.Text.Json decodes an escaped lone surrogate ("\ud800") into a
/// string that cannot be stored or written back faithfully, so it is refused here, at the field's path.
/// </summary>
public sealed class UnicodeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"expected text, not {JsonErrors.TokenName(reader.TokenType)}.");
        if (reader.ValueIsEscaped && HasLoneSurrogate(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan))
            throw new JsonException("the text is not valid Unicode (a lone surrogate escape).");
        return reader.GetString();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>Scans the raw (escaped) bytes for \uD800–\uDBFF not followed by \uDC00–\uDFFF, or a low surrogate alone.</summary>
    private static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        var expectLow = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\') { if (expectLow) return true; continue; }
            if (i + 1 < raw.Length && raw[i + 1] == 'u' && i + 5 < raw.Length && TryHex(raw.Slice(i + 2, 4), out var unit))
            {
                var isHigh = unit is >= 0xD800 and <= 0xDBFF;
                var isLow = unit is >= 0xDC00 and <= 0xDFFF;
                if (expectLow != isLow) return true;
                expectLow = isHigh;
                i += 5;
            }
            else
            {
                if (expectLow) return true;
                i++;
            }
        }
        return expectLow;
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (var b in hex)
        {
            var digit = b switch { >= (byte)'0' and <= (byte)'9' => b - '0', >= (byte)'a' and <= (byte)'f' => b - 'a' + 10, >= (byte)'A' and <= (byte)'F' => b - 'A' + 10, _ => -1 };
            if (digit < 0) return false;
            value = value * 16 + digit;
        }
        return true;
    }
}
