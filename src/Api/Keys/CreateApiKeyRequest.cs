namespace Forecasting.Api.Keys;

/// <summary>POST /api/keys: a name, one or more scopes (read, train, admin) and an optional expiry.</summary>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);
