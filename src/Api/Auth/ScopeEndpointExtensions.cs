using Microsoft.AspNetCore.Authentication;

namespace Forecasting.Api.Auth;

public static class ScopeEndpointExtensions
{
    /// <summary>
    /// Declares the scope a route needs: its authorization policy plus <see cref="ScopeMetadata"/>. Declare it per
    /// route (not per group): two declarations would require both scopes.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScope scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ScopeRequirement.PolicyName(scope)).WithMetadata(new ScopeMetadata(scope));

    /// <summary>
    /// For code outside endpoint routing (the Hangfire dashboard's authorization filter): does this request carry a
    /// key with the scope? Authenticates with the API-key scheme itself, so it works wherever the middleware sits.
    /// </summary>
    public static async Task<bool> HasApiScopeAsync(this HttpContext context, ApiScope scope)
    {
        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        return result.Succeeded && result.Principal.HasScope(scope);
    }
}
