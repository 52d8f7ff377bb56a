using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Forecasting.Api.Http;

/// <summary>
/// Turns System.Text.Json's exceptions into the field they concern and a sentence in the API's words: unknown
/// fields name the known one a client probably meant (seasonal_order → seasonalOrder, h → horizon, level → levels),
/// type mismatches say what was expected, and no .NET type, member or option name reaches the client.
/// </summary>
public static partial class JsonErrors
{
    /// <summary>Short names clients use for fields the API spells otherwise.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["h"] = "horizon", ["fh"] = "horizon", ["steps"] = "horizon", ["lr"] = "learningRate", ["level"] = "levels", ["alpha"] = "levels",
        ["window"] = "windowLength", ["lookback"] = "windowLength", ["batch"] = "batchSize", ["seasonality"] = "season", ["m"] = "season",
        ["dataset"] = "datasetId", ["target"] = "targets", ["type"] = "kind", ["schedule"] = "cron", ["tz"] = "timeZone",
    };

    public static (string Field, string Message) Describe(JsonException json)
    {
        var field = FieldOf(json.Path);
        var message = FirstSentence(json.Message);
        var unmapped = UnmappedMember().Match(message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups["name"].Value;
            if (!field.EndsWith(name, StringComparison.Ordinal)) field = field is "body" ? name : $"{field}.{name}";
            var known = KnownFields(unmapped.Groups["type"].Value);
            var suggestion = Suggest(name, known);
            var prefix = field.Contains('.') ? field[..field.LastIndexOf('.')] + "." : "";
            return (field, $"Unknown field '{field}'." +
                (suggestion is null ? "" : $" Did you mean '{prefix}{suggestion}'?") +
                (known.Count > 0 ? $" Fields here: {string.Join(", ", known)}." : ""));
        }
        var missing = MissingRequired().Match(message);
        if (missing.Success)
        {
            var names = missing.Groups["names"].Value.Replace("'", "");
            var prefix = field is "body" ? "" : field + ".";
            return (prefix + names.Split(',')[0].Trim(), $"Required field(s) missing: {string.Join(", ", names.Split(',').Select(n => prefix + n.Trim()))}.");
        }
        var conversion = Conversion().Match(message);
        if (conversion.Success)
            return (field, $"'{field}' must be {Expected(conversion.Groups["type"].Value)}.");
        if (json.InnerException is FormatException or OverflowException)
            return (field, $"'{field}' is not in the expected format or range.");
        message = ReaderOptions().Replace(message, "").Replace(" which is not supported in this mode", "").Trim();
        if (message.Contains("System.", StringComparison.Ordinal) || message.Contains("'$", StringComparison.Ordinal) || message.Length == 0)
            message = "the value does not fit the field.";
        return (field, json.LineNumber is { } line
            ? $"Invalid JSON at '{field}' (line {line + 1}, byte {json.BytePositionInLine}): {message}"
            : $"Invalid JSON at '{field}': {message}");
    }

    public static string TokenName(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "text",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        _ => "this value",
    };

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return QuotedSegment().Replace(field, m => "." + m.Groups[1].Value).TrimStart('.');
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Trim();

    /// <summary>The JSON names of the properties of the type a body part maps to (found by its full name).</summary>
    private static IReadOnlyList<string> KnownFields(string typeName)
    {
        var type = FindType(typeName);
        if (type is null) return [];
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.CanWrite)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToList();
    }

    private static Type? FindType(string typeName) => AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name?.StartsWith("Forecasting", StringComparison.Ordinal) == true)
        .Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);

    private static string? Suggest(string name, IReadOnlyList<string> known)
    {
        static string Key(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();
        if (Aliases.TryGetValue(name, out var alias) && (known.Count == 0 || known.Contains(alias))) return alias;
        return known.FirstOrDefault(k => Key(k) == Key(name))
            ?? known.FirstOrDefault(k => Key(k) == Key(name) + "s" || Key(k) + "s" == Key(name));
    }

    private static string Expected(string type)
    {
        if (type.Contains("IReadOnlyList", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal))
        {
            var inner = Generic().Match(type);
            return "a list" + (inner.Success ? " of " + Plural(Expected(inner.Groups[1].Value)) : "");
        }
        if (type.Contains("Dictionary", StringComparison.Ordinal)) return "an object";
        var bare = type.Replace("System.Nullable`1[", "").TrimEnd(']');
        return bare switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "text",
            "System.Guid" => "an id (a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)",
            "System.DateTimeOffset" or "System.DateTime" or "System.DateOnly" => "an ISO date",
            _ => FindType(bare) is { IsEnum: true } vocabulary
                ? $"one of {string.Join(", ", Domain.WireNames.All(vocabulary).Select(n => $"'{n}'"))}"
                : "an object of the documented shape",
        };
    }

    private static string Plural(string expected) => expected switch
    {
        "a whole number" => "whole numbers",
        "a number" => "numbers",
        "text" => "texts",
        "true or false" => "true/false values",
        _ => expected,
    };

    [GeneratedRegex(@"The JSON property '(?<name>.*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"missing required properties[^:]*: (?<names>.*?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"\s*Change the reader options\.?", RegexOptions.IgnoreCase)]
    private static partial Regex ReaderOptions();

    [GeneratedRegex(@"`1\[(.+)\]")]
    private static partial Regex Generic();

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex QuotedSegment();
}
