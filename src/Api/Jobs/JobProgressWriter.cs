using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Forecasting.Api.Jobs;

/// <summary>
/// Writes a job's latest progress to its row at most every 250 ms (the job reports as often as it likes: every
/// epoch, every origin). <paramref name="write"/> sets the job type's progress columns.
/// </summary>
public sealed class JobProgressWriter<TRecord, TProgress>(
    IServiceScopeFactory scopes, Guid id, TimeProvider clock, Action<UpdateSettersBuilder<TRecord>, TProgress> write) : IProgress<TProgress>
    where TRecord : JobRecord
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private bool _hasPending;
    private TProgress _pending = default!;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>Makes the first write wait one interval: a short job then writes its progress only with its results.</summary>
    public void DelayFirstWrite() => _lastWrite = clock.GetUtcNow();

    public void Report(TProgress value)
    {
        (_pending, _hasPending) = (value, true);
        if (clock.GetUtcNow() - _lastWrite >= Interval) Flush();
    }

    public void Flush()
    {
        if (!_hasPending) return;
        var progress = _pending;
        _hasPending = false;
        _lastWrite = clock.GetUtcNow();
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ForecastingDbContext>().Set<TRecord>().Where(r => r.Id == id)
            .ExecuteUpdate(setters => write(setters, progress));
    }
}
