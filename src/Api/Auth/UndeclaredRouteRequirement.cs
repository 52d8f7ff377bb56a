using Microsoft.AspNetCore.Authorization;

namespace Forecasting.Api.Auth;

/// <summary>
/// The fallback policy, for requests whose endpoint declares no scope: under /api they need the admin scope (a
/// route someone forgot to declare is closed, not open; ScopeDeclarationTests also fails on it); elsewhere (health,
/// Swagger, web pages, unknown paths) nothing is required.
/// </summary>
public sealed class UndeclaredRouteRequirement : IAuthorizationRequirement;

public sealed class UndeclaredRouteHandler : AuthorizationHandler<UndeclaredRouteRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, UndeclaredRouteRequirement requirement)
    {
        var path = context.Resource is HttpContext http ? http.Request.Path : PathString.Empty;
        if (!path.StartsWithSegments("/api") || context.User.HasScope(ApiScope.Admin)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
