namespace Forecasting.Persistence.Entities;

/// <summary>
/// An API key as stored: never the key itself, only its SHA-256 hash and its first characters (for people to
/// tell keys apart and for the lookup before the constant-time hash comparison).
/// </summary>
public sealed class ApiKeyEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The key's first characters ("fk_" and 8 more): shown in lists and audit rows, not secret.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key (32 bytes).</summary>
    public required byte[] Hash { get; set; }

    /// <summary>Comma-separated scopes: read, train, admin.</summary>
    public required string Scopes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Updated at most once a minute per key, so that reads do not all become writes.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
