using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>The wire string of a vocabulary value ("seq2seq", "if_better"), as its <see cref="JsonStringEnumMemberNameAttribute"/> gives it.</summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string ToWire(this Enum value) => Names.GetOrAdd(value, v =>
        v.GetType().GetField(v.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString());

    /// <summary>The value whose wire string is exactly <paramref name="wire"/> (a name read back from storage or configuration).</summary>
    public static bool TryParse<T>(string? wire, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (candidate.ToWire() == wire)
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>All wire strings of a vocabulary, in declaration order.</summary>
    public static IReadOnlyList<string> All(Type enumType) => Enum.GetValues(enumType).Cast<Enum>().Select(ToWire).ToList();
}
