using Forecasting.Persistence;

namespace Forecasting.Api.Audit;

/// <summary>
/// The audit trail's one seam: adds a row to the caller's DbContext, so the caller's SaveChanges writes it in the
/// same transaction as the action. The actor is the current request's key (or "system" outside a request).
/// </summary>
public interface IAuditLog
{
    void Add(ForecastingDbContext db, string action, string resource, string resourceId, object? details = null);
}
