using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>Reads and writes a <see cref="BoxCoxLambda"/> as a JSON number or the string "auto"; anything else is a bad request.</summary>
public sealed class BoxCoxLambdaJsonConverter : JsonConverter<BoxCoxLambda>
{
    public override BoxCoxLambda Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new BoxCoxLambda(reader.GetDouble()),
        JsonTokenType.String when reader.GetString() == "auto" => BoxCoxLambda.Auto,
        _ => throw new JsonException("lambda is a number or \"auto\"."),
    };

    public override void Write(Utf8JsonWriter writer, BoxCoxLambda value, JsonSerializerOptions options)
    {
        if (value.Value is { } lambda) writer.WriteNumberValue(lambda);
        else writer.WriteStringValue("auto");
    }
}
