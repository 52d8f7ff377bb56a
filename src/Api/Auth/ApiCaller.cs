using System.Security.Claims;

namespace Forecasting.Api.Auth;

/// <summary>Who is calling, as the audit trail and the per-key limits see it.</summary>
public sealed record ApiCaller(Guid? KeyId, string Actor)
{
    public static readonly ApiCaller System = new(null, "system");

    public static ApiCaller Of(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { } name }
            ? new ApiCaller(Guid.TryParse(user.FindFirstValue(ApiClaims.KeyId), out var id) ? id : null, name)
            : System;
}
