using Forecasting.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Forecasting.Api.Auth;

/// <summary>Writes a refused scope as a 403 problem naming the scope the route needs and the scopes the key has; everything else as usual.</summary>
public sealed class ScopeForbiddenResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.Select(r => r switch
        {
            ScopeRequirement scope => scope.Scope,
            UndeclaredRouteRequirement => ApiScope.Admin,
            _ => (ApiScope?)null,
        }).OfType<ApiScope>().FirstOrDefault() ?? ApiScope.Admin;
        var held = ApiScopes.All.Where(context.User.HasScope).Select(s => s.ToWire()).ToList();
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = $"This route needs the '{needed.ToWire()}' scope",
                Detail = $"{context.User.Identity?.Name} has {(held.Count == 0 ? "no scopes" : "the scopes " + string.Join(", ", held))}; " +
                    $"{context.Request.Method} {context.Request.Path} needs '{needed.ToWire()}'. An admin can create a key with that scope (POST /api/keys).",
                Extensions = { ["requiredScope"] = needed.ToWire() },
            },
        });
    }
}
