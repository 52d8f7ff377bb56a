using Forecasting.Persistence;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Writes a run's latest epoch to its row at most every 250 ms (training threads call it every epoch),
/// and reads back the cancel flag so a cancel from another process stops the run too.
/// </summary>
public sealed class RunProgressWriter(IServiceScopeFactory scopes, Guid runId, CancellationTokenSource cancel, TimeProvider clock) : IProgress<EpochProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private EpochProgress? _pending;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    public void Report(EpochProgress value)
    {
        _pending = value;
        if (clock.GetUtcNow() - _lastWrite >= Interval) Flush();
    }

    public void Flush()
    {
        if (_pending is not { } p) return;
        _pending = null;
        _lastWrite = clock.GetUtcNow();
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastingDbContext>();
        db.TrainingRuns.Where(r => r.Id == runId).ExecuteUpdate(s => s
            .SetProperty(r => r.Epoch, p.Epoch)
            .SetProperty(r => r.Epochs, p.Epochs)
            .SetProperty(r => r.TrainLoss, double.IsFinite(p.TrainLoss) ? p.TrainLoss : null)
            .SetProperty(r => r.ValidMae, p.ValidMae is { } mae && double.IsFinite(mae) ? mae : null));
        if (db.TrainingRuns.Any(r => r.Id == runId && r.CancelRequested)) cancel.Cancel();
    }
}
