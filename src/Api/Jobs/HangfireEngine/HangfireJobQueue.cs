using Hangfire;
using Hangfire.InMemory;
using Hangfire.States;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary><see cref="IJobQueue"/> on Hangfire: one fire-and-forget job per row, on the row's work queue.</summary>
public sealed class HangfireJobQueue(IBackgroundJobClient client, JobStorage storage) : IJobQueue
{
    public bool SurvivesRestart => storage is not InMemoryStorage;

    public void Enqueue(JobKind kind, Guid id, WorkQueue queue)
    {
        var state = new EnqueuedState(queue.Name());
        _ = kind switch
        {
            JobKind.TrainingRun => client.Create<JobRunner>(r => r.TrainAsync(id, CancellationToken.None), state),
            JobKind.Backtest => client.Create<JobRunner>(r => r.BacktestAsync(id, CancellationToken.None), state),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
}
