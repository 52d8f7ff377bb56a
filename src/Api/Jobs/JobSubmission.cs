using Forecasting.Api.Audit;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The one way a job is submitted (training runs, backtests, schedule firings), after its request was validated:
/// the row and its audit row are written in one transaction, then the row is dispatched (<see cref="JobDispatch"/>);
/// if the job queue refuses it, the row is withdrawn again with an audit row saying so.
/// </summary>
public sealed class JobSubmission(ForecastingDbContext db, IJobQueue queue, JobExecutors executors, ModelKindRegistry kinds, TimeProvider clock, IAuditLog audit)
{
    public Task<bool> DatasetExistsAsync(Guid datasetId, CancellationToken cancellationToken) =>
        db.Datasets.AnyAsync(d => d.Id == datasetId, cancellationToken);

    /// <summary>
    /// Stores <paramref name="row"/> as queued (its id, queue and creation time are set here) and dispatches it.
    /// Null when the dataset is gone: the check and the insert are one write transaction, so a concurrent dataset
    /// delete (also one write transaction) either sees this job and refuses, or happens first and this returns null.
    /// </summary>
    public async Task<TRecord?> SubmitAsync<TRecord>(JobKind kind, TRecord row, JobResource resource, object details, CancellationToken cancellationToken)
        where TRecord : JobRecord
    {
        row.Id = Guid.NewGuid();
        row.Status = JobStatus.Queued;
        row.Queue = kinds.QueueOf(row.Kind);
        row.CreatedAt = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await db.Datasets.AnyAsync(d => d.Id == row.DatasetId, cancellationToken)) return null;
            db.Add(row);
            audit.Add(db, resource.Created, resource.AuditResource, row.Id.ToString(), details);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        try
        {
            await JobDispatch.QueueAsync(queue, executors[kind], db, row.Id, row.Queue);
        }
        catch
        {
            db.Remove(row);
            audit.Add(db, resource.Withdrawn, resource.AuditResource, row.Id.ToString(), new { reason = "the job queue refused it" });
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return row;
    }
}
