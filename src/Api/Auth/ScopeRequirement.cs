using Forecasting.Domain;
using Microsoft.AspNetCore.Authorization;

namespace Forecasting.Api.Auth;

/// <summary>The caller's key must hold this scope.</summary>
public sealed record ScopeRequirement(ApiScope Scope) : IAuthorizationRequirement
{
    public static string PolicyName(ApiScope scope) => "scope:" + scope.ToWire();
}

public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasScope(requirement.Scope)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
