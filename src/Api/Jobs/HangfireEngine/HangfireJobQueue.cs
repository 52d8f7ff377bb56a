using Forecasting.Domain;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.States;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary><see cref="IJobQueue"/> on Hangfire: one fire-and-forget job per row, on the row's work queue.</summary>
public sealed class HangfireJobQueue(IBackgroundJobClient client, JobStorage storage) : IJobQueue
{
    public bool SurvivesRestart => storage is not InMemoryStorage;

    public string Enqueue(JobKind kind, Guid id, WorkQueue queue)
    {
        var state = new EnqueuedState(queue.ToWire());
        // Hangfire passes the running job's own context in place of the null.
        return client.Create<JobRunner>(r => r.ExecuteAsync(kind, id, null, CancellationToken.None), state);
    }

    public void Withdraw(string dispatchId) => client.Delete(dispatchId);
}
