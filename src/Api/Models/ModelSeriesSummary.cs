using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Models;

/// <summary>
/// How many series (and targets) a model's kind fitted, how many got the fallback, how many were skipped, and the
/// first of those not fitted (all of them at <c>GET /api/models/{id}/series?status=…</c>).
/// </summary>
public sealed record ModelSeriesSummary(int Fitted, int Fallback, int Skipped, IReadOnlyList<ModelSeriesResponse> NotFitted)
{
    /// <summary>The most series not fitted that the model itself lists.</summary>
    public const int Listed = 100;

    /// <summary>The summary of a model's outcomes; null for a model trained before they were recorded.</summary>
    public static async Task<ModelSeriesSummary?> ReadAsync(ForecastingDbContext db, Guid modelId, CancellationToken cancellationToken)
    {
        var counts = await db.ModelSeries.AsNoTracking().Where(s => s.ModelId == modelId).GroupBy(s => s.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        if (counts.Count == 0) return null;
        int Count(Domain.SeriesStatus status) => counts.FirstOrDefault(c => c.Status == status)?.Count ?? 0;
        var notFitted = await db.ModelSeries.AsNoTracking().Where(s => s.ModelId == modelId && s.Status != Domain.SeriesStatus.Fitted)
            .OrderBy(s => s.SeriesId).ThenBy(s => s.Target).Take(Listed)
            .Select(s => new ModelSeriesResponse(s.SeriesId, s.Target, s.Status, s.Method, s.Reason)).ToListAsync(cancellationToken);
        return new ModelSeriesSummary(Count(Domain.SeriesStatus.Fitted), Count(Domain.SeriesStatus.Fallback), Count(Domain.SeriesStatus.Skipped), notFitted);
    }
}
