using Forecasting.Api.Audit;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The one way a job is submitted (training runs, backtests, schedule firings), after its request was validated:
/// the row and its audit row are written in one transaction, then the row is dispatched (<see cref="JobDispatch"/>);
/// if the job queue refuses it, the row is withdrawn again with an audit row saying so.
/// </summary>
public sealed class JobSubmission(
    ForecastingDbContext db, IJobQueue queue, JobExecutors executors, ModelKindRegistry kinds, IOptions<JobsOptions> options, TimeProvider clock, IAuditLog audit)
{
    public Task<bool> DatasetExistsAsync(Guid datasetId, CancellationToken cancellationToken) =>
        db.Datasets.AnyAsync(d => d.Id == datasetId, cancellationToken);

    /// <summary>
    /// Stores <paramref name="row"/> as queued (its id, queue and creation time are set here) and dispatches it; the queue
    /// is its kind's, or bulk for a statistical job whose <paramref name="work"/> is above <see cref="JobsOptions.BulkWork"/>.
    /// Null when the dataset is gone: the check and the insert are one write transaction, so a concurrent dataset
    /// delete (also one write transaction) either sees this job and refuses, or happens first and this returns null.
    /// </summary>
    public async Task<TRecord?> SubmitAsync<TRecord>(
        JobKind kind, TRecord row, JobWork work, JobResource resource, object details, CancellationToken cancellationToken)
        where TRecord : JobRecord
    {
        row.Id = Guid.NewGuid();
        row.Status = JobStatus.Queued;
        row.CreatedAt = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await db.Datasets.AnyAsync(d => d.Id == row.DatasetId, cancellationToken)) return null;
            var series = work.Series is { Count: > 0 } named
                ? named.Distinct().Count()
                : await db.Series.CountAsync(s => s.DatasetId == row.DatasetId, cancellationToken);
            row.Queue = JobWork.QueueFor(kinds.Get(row.Kind).Traits, series * work.FitsPerSeries, options.Value.BulkWork);
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
