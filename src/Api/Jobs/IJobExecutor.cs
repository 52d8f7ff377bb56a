using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Runs one job type's rows. Registered once per <see cref="JobKind"/> (<see cref="JobExecutors"/>); the job runner,
/// the cancel watch, recovery and the sweeper reach a job type only through it. Derive from <see cref="JobExecutor{TRecord, TResume}"/>.
/// </summary>
public interface IJobExecutor
{
    JobKind Kind { get; }

    /// <summary>This job type's rows.</summary>
    IQueryable<JobRecord> Rows(ForecastingDbContext db);

    /// <summary>Makes <paramref name="dispatchId"/> the row's dispatch if it has none; true when the row's dispatch is this job (<see cref="JobDispatch"/>).</summary>
    Task<bool> ClaimAsync(ForecastingDbContext db, Guid id, string dispatchId);

    /// <param name="id">The row to run.</param>
    /// <param name="dispatchId">The job engine's id of this job: it runs the row only if the row is dispatched to it.</param>
    /// <param name="interrupted">The worker is stopping, or the cancel watch saw the row's cancel flag.</param>
    Task ExecuteAsync(Guid id, string dispatchId, CancellationToken interrupted);
}
