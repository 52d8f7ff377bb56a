using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>What a presented key turned out to be.</summary>
public abstract record KeyCheck
{
    public sealed record Valid(Guid? KeyId, string Actor, IReadOnlyList<ApiScope> Scopes) : KeyCheck;

    public sealed record Invalid(string Reason) : KeyCheck;
}

/// <summary>
/// Checks a presented key against the configuration admin key and the api_keys table: lookup by prefix, then a
/// constant-time comparison of SHA-256 hashes; expiry; last-used time (written at most once a minute per key).
/// </summary>
public sealed class ApiKeyStore(ForecastingDbContext db, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string ConfigurationAdminActor = "configuration admin key (Auth:AdminKey)";
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    public async Task<KeyCheck> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = ApiKeyGenerator.Hash(presented);
        if (options.Value.AdminKey is { Length: > 0 } adminKey && ApiKeyGenerator.SameHash(hash, ApiKeyGenerator.Hash(adminKey.Trim())))
            return new KeyCheck.Valid(null, ConfigurationAdminActor, ApiScopes.All);

        var prefix = ApiKeyGenerator.Prefix(presented);
        var candidates = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix).ToListAsync(cancellationToken);
        var key = candidates.FirstOrDefault(k => ApiKeyGenerator.SameHash(k.Hash, hash));
        if (key is null) return new KeyCheck.Invalid("The API key is not known (it may have been deleted).");
        var now = clock.GetUtcNow();
        if (key.ExpiresAt is { } expires && expires <= now)
            return new KeyCheck.Invalid($"The API key '{key.Name}' ({key.Prefix}…) expired at {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.");
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value >= LastUsedPrecision)
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        return new KeyCheck.Valid(key.Id, $"key '{key.Name}' ({key.Prefix}…)", ApiScopes.Split(key.Scopes));
    }
}
