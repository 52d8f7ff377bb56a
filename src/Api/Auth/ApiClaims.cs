using System.Security.Claims;
using Forecasting.Domain;

namespace Forecasting.Api.Auth;

/// <summary>The claims the API-key scheme issues: one "scope" claim per scope, the key's id (database keys only) and a name for the audit trail.</summary>
public static class ApiClaims
{
    public const string Scope = "scope";
    public const string KeyId = "key_id";

    public static bool HasScope(this ClaimsPrincipal user, ApiScope scope) => user.HasClaim(Scope, scope.ToWire());

    public static ClaimsPrincipal Principal(string scheme, Guid? keyId, string actor, IEnumerable<ApiScope> scopes)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, actor) };
        if (keyId is not null) claims.Add(new Claim(KeyId, keyId.Value.ToString()));
        claims.AddRange(scopes.Select(s => new Claim(Scope, s.ToWire())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
