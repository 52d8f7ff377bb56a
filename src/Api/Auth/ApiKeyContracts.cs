using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Auth;

/// <summary>POST /api/keys: a name, one or more scopes (read, train, admin) and an optional expiry.</summary>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>A stored key as listed: never the key or its hash, only its first characters.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool Expired)
{
    public static ApiKeyResponse From(ApiKeyEntity key, DateTimeOffset now) =>
        new(key.Id, key.Name, key.Prefix, ApiScopes.Split(key.Scopes).Select(s => s.Name()).ToList(), key.CreatedAt, key.ExpiresAt, key.LastUsedAt,
            key.ExpiresAt is { } expires && expires <= now);
}

/// <summary>The answer to POST /api/keys: the key itself, shown this once.</summary>
public sealed record CreatedApiKeyResponse(string Key, ApiKeyResponse Details);
