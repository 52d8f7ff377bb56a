using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Api.Http;

/// <summary>
/// Request numbers must be finite JSON numbers: "NaN", "Infinity" and 1e400 are refused (each would train or
/// forecast nonsense). Answers still write a non-finite value as the string "NaN"/"Infinity", as before.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonException(reader.TokenType == JsonTokenType.String
                ? "expected a number, not text (\"NaN\" and \"Infinity\" are not accepted)."
                : $"expected a number, not {JsonErrors.TokenName(reader.TokenType)}.");
        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new JsonException("the number is outside the range of finite numbers.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
