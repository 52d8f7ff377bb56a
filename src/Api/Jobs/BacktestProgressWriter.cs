using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Writes a backtest's origins done to its row at most every 250 ms (the loop reports every origin), and
/// reads back the cancel flag so a cancel from another process stops the backtest too.
/// </summary>
public sealed class BacktestProgressWriter(IServiceScopeFactory scopes, Guid backtestId, CancellationTokenSource cancel, TimeProvider clock) : IProgress<int>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private int? _pending;
    private DateTimeOffset _lastWrite;

    /// <summary>The first write waits one interval: a short backtest writes its progress only with its results.</summary>
    public void Start() => _lastWrite = clock.GetUtcNow();

    public void Report(int done)
    {
        _pending = done;
        if (clock.GetUtcNow() - _lastWrite >= Interval) Flush();
    }

    public void Flush()
    {
        if (_pending is not { } done) return;
        _pending = null;
        _lastWrite = clock.GetUtcNow();
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        db.Backtests.Where(b => b.Id == backtestId).ExecuteUpdate(s => s.SetProperty(b => b.Done, done));
        if (db.Backtests.Any(b => b.Id == backtestId && b.CancelRequested)) cancel.Cancel();
    }
}
