using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Forecasting.Api.Hosting;

/// <summary>Healthy when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(ForecastingDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var datasets = await db.Datasets.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"database reachable ({datasets} datasets)");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + e.Message);
        }
    }
}
