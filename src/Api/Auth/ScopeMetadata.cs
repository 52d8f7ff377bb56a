namespace Forecasting.Api.Auth;

/// <summary>Endpoint metadata: the scope a route needs (read by the scope test, Swagger and the 403 answer).</summary>
public sealed record ScopeMetadata(ApiScope Scope);
