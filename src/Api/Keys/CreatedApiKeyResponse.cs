namespace Forecasting.Api.Keys;

/// <summary>The answer to POST /api/keys: the key itself, shown this once.</summary>
public sealed record CreatedApiKeyResponse(string Key, ApiKeyResponse Details);
