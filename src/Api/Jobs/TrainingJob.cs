using Quartz;

namespace Forecasting.Api.Jobs;

/// <summary>The Quartz job: hands the run id to <see cref="TrainingRunExecutor"/>, which owns the run's lifecycle.</summary>
public sealed class TrainingJob(TrainingRunExecutor executor) : IJob
{
    public const string RunIdKey = TrainingRunQueue.IdKey;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var runId = Guid.Parse(context.MergedJobDataMap.GetString(RunIdKey)!);
        await executor.ExecuteAsync(runId, cancellationToken);
    }
}
