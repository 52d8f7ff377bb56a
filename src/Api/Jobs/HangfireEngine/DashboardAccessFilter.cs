using Hangfire.Dashboard;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary>
/// Who may open the read-only dashboard at /hangfire: local requests only, until the service has API keys
/// (then point this filter at the admin scope).
/// </summary>
public sealed class DashboardAccessFilter : IDashboardAuthorizationFilter
{
    private static readonly LocalRequestsOnlyAuthorizationFilter LocalOnly = new();

    public bool Authorize(DashboardContext context) => LocalOnly.Authorize(context);
}
