using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Polls a running job's row for its cancel flag and cancels the job's token when it is set, so a cancel
/// sent to any API process reaches the worker that runs the job, in any mode, within <see cref="Interval"/>.
/// </summary>
public sealed class JobCancelWatch(IServiceScopeFactory scopes, ILogger<JobCancelWatch> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>Watches until <paramref name="stop"/> is cancelled.</summary>
    public async Task WatchAsync(IJobExecutor executor, Guid id, CancellationTokenSource cancel, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
                if (!await executor.Rows(db).AnyAsync(r => r.Id == id && r.CancelRequested, stop)) continue;
                await cancel.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The cancel stays on the row: the executor reads it again before it publishes a result.
            logger.LogWarning(e, "Watching {Kind} {Id} for a cancel request failed", executor.Kind, id);
        }
    }
}
