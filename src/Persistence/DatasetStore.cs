using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Persistence;

/// <summary>
/// Stores and loads datasets: a <see cref="DatasetFrame"/> becomes a dataset row, a row per series and a
/// float64 blob per column per series. Writes happen in one transaction, so a failed upload or append
/// leaves the database as it was.
/// </summary>
public sealed class DatasetStore(ForecastingDbContext db, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Stores a new dataset. The returned entity lists its series (key, start, length) without the value
    /// blobs, which are not kept in memory after saving. <paramref name="beforeSave"/> may add rows (an audit record) to the same transaction.
    /// </summary>
    public async Task<DatasetEntity> CreateAsync(string name, DatasetFrame frame, int duplicatesDropped, CancellationToken cancellationToken,
        Action<DatasetEntity>? beforeSave = null)
    {
        var now = _clock.GetUtcNow();
        var dataset = new DatasetEntity
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            Frequency = frame.Frequency.Code,
            ColumnsJson = ColumnMetadata.Serialize(frame.Columns),
            Rows = frame.Rows,
            DuplicatesDropped = duplicatesDropped,
            CreatedAt = now,
            UpdatedAt = now,
        };
        List<SeriesEntity> series = [];
        await SaveInTransactionAsync(async () =>
        {
            db.Datasets.Add(dataset);
            beforeSave?.Invoke(dataset);
            await db.SaveChangesAsync(cancellationToken);
            series = await new SeriesBulkWriter(db).InsertAsync(dataset.Id, frame, cancellationToken);
        }, cancellationToken);
        dataset.Series = series;
        return dataset;
    }

    /// <summary>
    /// Loads a dataset's values, optionally only some series (by key) and columns (by name; unknown names are
    /// left out). Null when there is no such dataset.
    /// </summary>
    public async Task<DatasetFrame?> LoadAsync(Guid id, IReadOnlyCollection<string>? seriesKeys, IReadOnlyCollection<string>? columns, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null) return await ReadAsync(id, seriesKeys, columns, cancellationToken);
        // The three reads share one snapshot (SQLite: a deferred transaction, which ReadUncommitted asks for;
        // PostgreSQL: RepeatableRead), so a delete or an append committed between them cannot tear the frame.
        var isolation = db.Database.IsNpgsql() ? System.Data.IsolationLevel.RepeatableRead : System.Data.IsolationLevel.ReadUncommitted;
        await using var snapshot = await db.Database.BeginTransactionAsync(isolation, cancellationToken);
        return await ReadAsync(id, seriesKeys, columns, cancellationToken);
    }

    private async Task<DatasetFrame?> ReadAsync(Guid id, IReadOnlyCollection<string>? seriesKeys, IReadOnlyCollection<string>? columns, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null) return null;
        if (!Frequency.TryParse(dataset.Frequency, out var frequency))
            throw new InvalidDataException($"Dataset {id} has an unknown frequency '{dataset.Frequency}'.");
        var allColumns = ColumnMetadata.Deserialize(dataset.ColumnsJson);
        var selected = columns is null ? allColumns : allColumns.Where(c => columns.Contains(c.Name)).ToList();
        var names = selected.Select(c => c.Name).ToList();
        var keys = seriesKeys is { Count: > 0 } ? seriesKeys.ToList() : null; // an empty list means all series, as in requests

        var seriesQuery = db.Series.AsNoTracking().Where(s => s.DatasetId == id);
        if (keys is not null) seriesQuery = seriesQuery.Where(s => keys.Contains(s.Key));
        var series = await seriesQuery.OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var blobs = await db.SeriesColumns.AsNoTracking()
            .Where(c => seriesQuery.Any(s => s.Id == c.SeriesId) && names.Contains(c.Column))
            .ToListAsync(cancellationToken);
        var bySeries = blobs.ToLookup(b => b.SeriesId);

        var result = new List<Series>(series.Count);
        var future = new Dictionary<string, Series>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            var values = bySeries[s.Id].ToDictionary(b => b.Column, b => ValueBlob.Decode(b.Values), StringComparer.Ordinal);
            foreach (var name in names.Where(n => !values.ContainsKey(n)))
                throw new InvalidDataException($"Series '{s.Key}' of dataset {id} has no stored column '{name}'.");
            if (s.FutureLength > 0)
            {
                // The blobs hold the observations, then the known-future rows: known columns are set in every future row, the others in none.
                var known = values.Where(v => !double.IsNaN(v.Value[s.Length])).ToDictionary(v => v.Key, v => v.Value[s.Length..], StringComparer.Ordinal);
                if (known.Count > 0) future[s.Key] = new Series(s.Key, frequency.Add(s.Start, s.Length), s.FutureLength, known);
                values = values.ToDictionary(v => v.Key, v => v.Value[..s.Length], StringComparer.Ordinal);
            }
            result.Add(new Series(s.Key, s.Start, s.Length, values));
        }
        return new DatasetFrame(frequency, selected, result) { Future = future };
    }

    /// <summary>
    /// Replaces a dataset's contents with a merged frame (after an append), in one transaction.
    /// Throws <see cref="KeyNotFoundException"/> when the dataset does not exist. <paramref name="beforeCommit"/> runs in the
    /// same transaction after the rows are written (the forecast ledger scores there), so both commit or neither does.
    /// </summary>
    public async Task ReplaceAsync(Guid id, DatasetFrame merged, CancellationToken cancellationToken, Func<Task>? beforeCommit = null)
    {
        await SaveInTransactionAsync(async () =>
        {
            var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no dataset {id}.");
            var stored = db.Series.Where(s => s.DatasetId == id);
            await db.SeriesColumns.Where(c => stored.Any(s => s.Id == c.SeriesId)).ExecuteDeleteAsync(cancellationToken);
            await stored.ExecuteDeleteAsync(cancellationToken);
            await new SeriesBulkWriter(db).InsertAsync(id, merged, cancellationToken);
            dataset.Frequency = merged.Frequency.Code;
            dataset.ColumnsJson = ColumnMetadata.Serialize(merged.Columns);
            dataset.Rows = merged.Rows;
            dataset.UpdatedAt = _clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            if (beforeCommit is not null) await beforeCommit();
        }, cancellationToken);
    }

    /// <summary>Runs the work in a transaction; on failure rolls back and forgets the pending entities.</summary>
    private async Task SaveInTransactionAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await work();
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            // The store's entities are not needed after saving, and failed ones must not be retried by a later SaveChanges.
            db.ChangeTracker.Clear();
        }
    }
}
