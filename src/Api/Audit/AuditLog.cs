using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Audit;

public sealed class AuditLog(IHttpContextAccessor http, TimeProvider clock) : IAuditLog
{
    public void Add(ForecastingDbContext db, string action, string resource, string resourceId, object? details = null)
    {
        var caller = ApiCaller.Of(http.HttpContext?.User);
        db.AuditEvents.Add(new AuditEventEntity
        {
            At = clock.GetUtcNow(),
            KeyId = caller.KeyId,
            Actor = caller.Actor,
            Action = action,
            Resource = resource,
            ResourceId = resourceId,
            DetailsJson = details is null ? null : ApiJson.Serialize(details),
        });
    }
}
