using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The job engine's seam: dispatches a saved row (a training run, a backtest) by id to a work queue. The row
/// stays the record of truth; the executor it reaches decides what to do with it (run, resume, refuse).
/// </summary>
public interface IJobQueue
{
    /// <summary>False when queued jobs live only in this process (they are queued again from the rows at start).</summary>
    bool SurvivesRestart { get; }

    /// <summary>
    /// Puts the job on <paramref name="queue"/>; its row must already be saved as queued. Returns the job's id, which
    /// the executor receives as its dispatch id (<see cref="JobDispatch"/>). Callers queue through JobDispatch.
    /// </summary>
    string Enqueue(JobKind kind, Guid id, WorkQueue queue);

    /// <summary>Removes a queued job whose row was cancelled before it started; nothing for a job already run or gone.</summary>
    void Withdraw(string dispatchId);
}
