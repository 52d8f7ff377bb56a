using Forecasting.Domain;

namespace Forecasting.Api.Auth;

/// <summary>The scopes' names on the wire ("read", "train", "admin") and in the database (comma-separated).</summary>
public static class ApiScopes
{
    public static readonly IReadOnlyList<ApiScope> All = Enum.GetValues<ApiScope>();

    public static bool TryParse(string? text, out ApiScope scope)
    {
        foreach (var candidate in All)
            if (string.Equals(candidate.ToWire(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                scope = candidate;
                return true;
            }
        scope = default;
        return false;
    }

    public static string Join(IEnumerable<ApiScope> scopes) => string.Join(",", scopes.Distinct().Order().Select(scope => scope.ToWire()));

    public static IReadOnlyList<ApiScope> Split(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => TryParse(s, out var scope) ? scope : (ApiScope?)null)
            .OfType<ApiScope>().ToList();
}
