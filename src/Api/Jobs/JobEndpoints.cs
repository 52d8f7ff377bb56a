using System.Diagnostics.CodeAnalysis;
using Forecasting.Api.Audit;
using Forecasting.Api.Hosting;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>The parts every job resource's endpoints share: the list's filters, finding a row, and cancelling it.</summary>
public static class JobEndpoints
{
    private static readonly Dictionary<string, JobStatus> Statuses = Enum.GetValues<JobStatus>().ToDictionary(s => s.ToWire());

    /// <summary>
    /// The rows filtered by <c>?status=</c> and <c>?datasetId=</c>, newest first, paged. The status is parsed here, at
    /// the edge: false with a 400 naming the statuses when it is not one.
    /// </summary>
    public static bool TryList<TRecord>(
        IQueryable<TRecord> rows, string? status, Guid? datasetId, int? skip, int? take,
        out IQueryable<TRecord> page, [NotNullWhen(false)] out ValidationProblem? problem) where TRecord : JobRecord
    {
        page = rows;
        problem = null;
        if (status is not null)
        {
            if (!Statuses.TryGetValue(status, out var wanted))
            {
                problem = Problems.Invalid([new FieldError("status", $"'{status}' is not a status; use one of {string.Join(", ", Statuses.Keys)}.")]);
                return false;
            }
            page = page.Where(r => r.Status == wanted);
        }
        if (datasetId is not null) page = page.Where(r => r.DatasetId == datasetId);
        page = page.OrderByDescending(r => r.CreatedAt).Page(skip, take);
        return true;
    }

    public static Task<TRecord?> FindAsync<TRecord>(ForecastingDbContext db, Guid id, CancellationToken cancellationToken) where TRecord : JobRecord =>
        db.Set<TRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Cancels the row (<see cref="JobCancellation"/>) with its audit row: 202 with the row, 404, or 409 when it has already finished.</summary>
    public static async Task<Results<Accepted<TResponse>, ProblemHttpResult>> CancelAsync<TRecord, TResponse>(
        Guid id, JobResource resource, Func<TRecord, TResponse> respond, ForecastingDbContext db, IJobQueue queue, TimeProvider clock, IAuditLog audit,
        CancellationToken cancellationToken) where TRecord : JobRecord
    {
        var row = await db.Set<TRecord>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null) return Problems.NotFound(resource.Title, id);
        // Saved by CancelAsync with the cancellation; a job that already finished saves nothing, and the row is dropped with the request.
        audit.Add(db, resource.Cancelled, resource.AuditResource, id.ToString(), new { previousStatus = row.Status.ToWire() });
        if (!await JobCancellation.CancelAsync(row, db, queue, clock, cancellationToken))
            return Problems.Conflict($"{resource.Title} already finished",
                $"The {resource.Title.ToLowerInvariant()} ended as '{row.Status.ToWire()}' and cannot be cancelled.");
        return TypedResults.Accepted($"{resource.Path}/{id}", respond(row));
    }
}
