using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Jobs;

/// <summary>An executor over the rows of <typeparamref name="TRecord"/>: a job type implements only its kind and its execution.</summary>
public abstract class JobExecutor<TRecord> : IJobExecutor where TRecord : JobRecord
{
    public abstract JobKind Kind { get; }

    public IQueryable<JobRecord> Rows(ForecastingDbContext db) => db.Set<TRecord>();

    public Task<bool> ClaimAsync(ForecastingDbContext db, Guid id, string dispatchId) => JobDispatch.ClaimAsync<TRecord>(db, id, dispatchId);

    public abstract Task ExecuteAsync(Guid id, string dispatchId, CancellationToken interrupted);
}
