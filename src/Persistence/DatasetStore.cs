using System.Runtime.InteropServices;
using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Persistence;

/// <summary>Converts between a dataset's Domain frame and its rows: one float64 blob per column per series.</summary>
public sealed class DatasetStore(ForecastingDbContext db)
{
    private sealed record StoredColumn(string Name, string Kind, List<string> Categories);

    public async Task<DatasetFrame?> LoadAsync(Guid id, IReadOnlyCollection<string>? seriesKeys, IReadOnlyCollection<string>? columns, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null) return null;
        var infos = ReadColumns(dataset.ColumnsJson);
        Frequency.TryParse(dataset.Frequency, out var frequency);
        var query = db.Series.AsNoTracking().Include(s => s.Columns).Where(s => s.DatasetId == id);
        if (seriesKeys is { Count: > 0 }) query = query.Where(s => seriesKeys.Contains(s.Key));
        var series = await query.OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return new DatasetFrame(frequency, infos, series.Select(s => new Series(s.Key, s.Start, s.Length,
            s.Columns.Where(c => columns is null || columns.Contains(c.Column))
                .ToDictionary(c => c.Column, c => MemoryMarshal.Cast<byte, double>(c.Values).ToArray()))).ToList());
    }

    public static IReadOnlyList<ColumnInfo> ReadColumns(string json) =>
        JsonSerializer.Deserialize<List<StoredColumn>>(json)!.Select(c => new ColumnInfo(c.Name, Enum.Parse<ColumnKind>(c.Kind), c.Categories)).ToList();

    private static string WriteColumns(IReadOnlyList<ColumnInfo> columns) =>
        JsonSerializer.Serialize(columns.Select(c => new StoredColumn(c.Name, c.Kind.ToString(), c.Categories.ToList())));

    /// <summary>Replaces a dataset's series and column metadata with a merged frame, in one transaction.</summary>
    public async Task ReplaceAsync(Guid id, DatasetFrame merged, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dataset = await db.Datasets.FirstAsync(d => d.Id == id, cancellationToken);
        await db.Series.Where(s => s.DatasetId == id).ExecuteDeleteAsync(cancellationToken);
        dataset.ColumnsJson = WriteColumns(merged.Columns);
        dataset.Rows = merged.Rows;
        dataset.UpdatedAt = DateTimeOffset.UtcNow;
        db.Series.AddRange(ToEntities(id, merged));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static List<SeriesEntity> ToEntities(Guid datasetId, DatasetFrame frame) => frame.Series.Select(s => new SeriesEntity
    {
        DatasetId = datasetId, Key = s.Id, Start = s.Start, Length = s.Length,
        Columns = s.Columns.Select(c => new SeriesColumnEntity { Column = c.Key, Values = MemoryMarshal.AsBytes(c.Value.AsSpan()).ToArray() }).ToList(),
    }).ToList();

    /// <summary>Stores a new dataset and all its values in one SaveChanges (one transaction).</summary>
    public async Task<DatasetEntity> CreateAsync(string name, DatasetFrame frame, int duplicatesDropped, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var entity = new DatasetEntity
        {
            Id = Guid.NewGuid(), Name = name, Frequency = frame.Frequency.Code, ColumnsJson = WriteColumns(frame.Columns),
            Rows = frame.Rows, DuplicatesDropped = duplicatesDropped, CreatedAt = now, UpdatedAt = now,
        };
        entity.Series = ToEntities(entity.Id, frame);
        db.Datasets.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return entity;
    }
}
