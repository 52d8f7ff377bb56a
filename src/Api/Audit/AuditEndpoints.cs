using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Audit;

public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit").WithTags("Audit");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Admin)
            .WithSummary("The audit trail, newest first")
            .WithDescription("Who created, cancelled, deleted, promoted or rolled back what, and when. Optional filters: action (e.g. dataset.delete), resource " +
                "(dataset, training_run, backtest, schedule, model, key), resourceId, keyId; paging with skip and take (at most 200). Rows are never changed or removed.");
        return group;
    }

    private static async Task<Ok<List<AuditEventResponse>>> ListAsync(
        ForecastingDbContext db, string? action, string? resource, string? resourceId, Guid? keyId, int? skip, int? take, CancellationToken cancellationToken)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (action is not null) query = query.Where(e => e.Action == action);
        if (resource is not null) query = query.Where(e => e.Resource == resource);
        if (resourceId is not null) query = query.Where(e => e.ResourceId == resourceId);
        if (keyId is not null) query = query.Where(e => e.KeyId == keyId);
        var rows = await query.OrderByDescending(e => e.Id).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(AuditEventResponse.From).ToList());
    }
}
