using Forecasting.Api.Auth;
using Hangfire.Dashboard;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary>
/// Who may open the read-only dashboard at /hangfire: a caller with the admin scope. In keys mode that is an admin
/// key; in open mode the API-key scheme admits loopback callers only, so the dashboard stays local.
/// </summary>
public sealed class DashboardAccessFilter : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context) => context.GetHttpContext().HasApiScopeAsync(ApiScope.Admin);
}
