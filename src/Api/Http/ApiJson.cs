using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Api.Http;

/// <summary>
/// The JSON conventions of the API and of stored JSON columns: camelCase, nulls omitted. Requests are read
/// strictly (<see cref="Requests"/>): unknown fields and non-finite numbers are refused; stored JSON stays lenient.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The options request bodies are read with (and answers written with).</summary>
    public static readonly JsonSerializerOptions Requests = ConfigureRequests(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        return options;
    }

    public static JsonSerializerOptions ConfigureRequests(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new FiniteDoubleConverter());
        options.Converters.Add(new CheckedJsonElementConverter());
        options.Converters.Add(new UnicodeStringConverter());
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"Stored JSON for {typeof(T).Name} is empty.");
}
