using Forecasting.Api.Auth;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Keys;

/// <summary>A stored key as listed: never the key or its hash, only its first characters.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool Expired)
{
    public static ApiKeyResponse From(ApiKeyEntity key, DateTimeOffset now) =>
        new(key.Id, key.Name, key.Prefix, ApiScopes.Split(key.Scopes).Select(s => s.ToWire()).ToList(), key.CreatedAt, key.ExpiresAt, key.LastUsedAt,
            key.ExpiresAt is { } expires && expires <= now);
}
