using Quartz;

namespace Forecasting.Api.Jobs;

/// <summary>The Quartz job: hands the backtest id to <see cref="BacktestExecutor"/>, which owns the backtest's lifecycle.</summary>
public sealed class BacktestJob(BacktestExecutor executor) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(context.MergedJobDataMap.GetString(BacktestQueue.IdKey)!);
        await executor.ExecuteAsync(id, cancellationToken);
    }
}
