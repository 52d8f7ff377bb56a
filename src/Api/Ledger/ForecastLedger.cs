using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Ledger;

/// <summary>
/// Records served forecasts and scores them when their targets are observed. Scoring runs inside the transaction that
/// stores the observations (or the records), and sets a record's actual only where it has none yet
/// (<c>UPDATE … WHERE ScoredAt IS NULL</c>): a process killed before the commit leaves neither the rows nor the scores,
/// and a record is never scored twice. Drift rules are checked after each pass, in the same transaction.
/// </summary>
public sealed class ForecastLedger(ForecastingDbContext db, TimeProvider clock, IDriftRetraining retraining, ILogger<ForecastLedger> logger)
{
    /// <summary>
    /// Stores <paramref name="records"/> in one transaction, scoring those whose targets <paramref name="stored"/> (the
    /// dataset as the forecast read it) already holds; throws (and stores nothing) when that fails.
    /// </summary>
    public async Task<LedgerOutcome> RecordAsync(IReadOnlyList<ForecastRecordEntity> records, Guid datasetId, DatasetFrame stored, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return LedgerOutcome.None;
        var now = clock.GetUtcNow();
        foreach (var record in records) record.RecordedAt = now;
        LedgerOutcome outcome;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.ForecastRecords.AddRange(records);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var series = BySeries(stored);
            outcome = records.Any(r => TryActual(stored.Frequency, series, r.Series, r.Target, r.Timestamp, out _))
                ? await ScoreAsync(datasetId, stored, cancellationToken)
                : LedgerOutcome.None;
            await transaction.CommitAsync(cancellationToken);
        }
        await AfterCommitAsync(outcome, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Scores every unscored record of the dataset whose target <paramref name="frame"/> holds, then checks the drift rules of
    /// the forecasters scored. Runs in the caller's transaction, which must commit the observations with it.
    /// </summary>
    public async Task<LedgerOutcome> ScoreAsync(Guid datasetId, DatasetFrame frame, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Scoring runs in the transaction that stores the observations.");
        if (frame.Series.Count == 0) return LedgerOutcome.None;
        var latest = frame.Series.Max(s => s.End(frame.Frequency));
        var pending = await db.ForecastRecords.AsNoTracking()
            .Where(r => r.DatasetId == datasetId && r.ScoredAt == null && r.Timestamp <= latest)
            .Select(r => new { r.Id, r.ForecasterId, r.Series, r.Target, r.Timestamp })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var scored = 0;
        var forecasters = new HashSet<Guid>();
        var series = BySeries(frame);
        // One update per observed point: the records of one (series, target, timestamp) share its actual.
        foreach (var point in pending.GroupBy(r => (r.Series, r.Target, r.Timestamp)))
        {
            if (!TryActual(frame.Frequency, series, point.Key.Series, point.Key.Target, point.Key.Timestamp, out var actual)) continue;
            var ids = point.Select(r => r.Id).ToList();
            // Only where unscored: a concurrent pass that scored them first leaves them as they are.
            var updated = await db.ForecastRecords.Where(r => ids.Contains(r.Id) && r.ScoredAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Actual, actual).SetProperty(r => r.ScoredAt, now), cancellationToken);
            if (updated == 0) continue;
            scored += updated;
            foreach (var forecaster in point.Select(r => r.ForecasterId).OfType<Guid>()) forecasters.Add(forecaster);
        }
        var events = await DriftCheck.RunAsync(db, forecasters, now, cancellationToken);
        return new LedgerOutcome(scored, events);
    }

    /// <summary>After the commit: queues the retraining that the pass's drift events ask for, and records the run (or why none) on each event.</summary>
    public async Task AfterCommitAsync(LedgerOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var drift in outcome.Events.Where(e => e.OnDrift == DriftAction.Retrain))
        {
            Guid? runId = null;
            string? error = null;
            try
            {
                runId = await retraining.RetrainAsync(drift.ForecasterId, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The event is committed; the failure to retrain is recorded on it rather than failing the request that stored the data.
                logger.LogWarning(e, "Drift event {EventId}: the forecaster's schedule could not be fired.", drift.Id);
                error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            }
            db.ChangeTracker.Clear();
            await db.DriftEvents.Where(e => e.Id == drift.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.RetrainRunId, runId).SetProperty(e => e.RetrainError, error), CancellationToken.None);
            drift.RetrainRunId = runId;
            drift.RetrainError = error;
        }
    }

    private static Dictionary<string, Series> BySeries(DatasetFrame frame) => frame.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);

    /// <summary>The stored value of a series' target at a timestamp, when stored (and not missing).</summary>
    private static bool TryActual(Frequency frequency, Dictionary<string, Series> bySeries, string seriesId, string target, long timestamp, out double actual)
    {
        actual = double.NaN;
        if (!bySeries.TryGetValue(seriesId, out var series) || !series.Columns.TryGetValue(target, out var values) || !frequency.IsAligned(series.Start, timestamp)) return false;
        var index = frequency.StepsBetween(series.Start, timestamp);
        if (index < 0 || index >= series.Length) return false;
        actual = values[index];
        return !double.IsNaN(actual);
    }
}
