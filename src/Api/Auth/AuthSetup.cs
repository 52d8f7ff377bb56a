using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Forecasting.Api.Auth;

public static class AuthSetup
{
    /// <summary>Auth options (validated at start-up), the API-key scheme, one policy per scope, rate limits.</summary>
    public static void AddForecastingAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<ApiKeyStore>();
        services.AddHttpContextAccessor();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var scope in ApiScopes.All)
                options.AddPolicy(ScopeRequirement.PolicyName(scope), policy => policy.AddRequirements(new ScopeRequirement(scope)));
            options.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new UndeclaredRouteRequirement()).Build();
        });
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationHandler, UndeclaredRouteHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeForbiddenResultHandler>();
        services.AddHostedService<ListenAddressGuard>();
        services.AddForecastingRateLimits();
    }

    /// <summary>Authentication, then authorization (401/403), then the body cap and the rate limiter (which partition by key).</summary>
    public static void UseForecastingAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseRateLimiter();
    }
}
