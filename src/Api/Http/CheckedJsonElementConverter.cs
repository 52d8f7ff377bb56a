using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Api.Http;

/// <summary>
/// Loosely typed request fields (observation rows, dataset cells and ids) are kept as <see cref="JsonElement"/>,
/// whose text is decoded only when read. This reads them once at the edge so that invalid UTF-8 or a lone
/// surrogate is a 400 at the field's path, and non-finite numbers (1e400) are refused like everywhere else.
/// </summary>
public sealed class CheckedJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        Check(element);
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Decode(element.GetString);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw new JsonException($"the number {Shorten(element.GetRawText())} is outside the range of finite numbers.");
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Check(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Decode(() => property.Name);
                    Check(property.Value);
                }
                break;
        }
    }

    private static void Decode(Func<string?> read)
    {
        try { read(); }
        catch (InvalidOperationException) { throw new JsonException("the text is not valid Unicode (invalid UTF-8 or a lone surrogate)."); }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
