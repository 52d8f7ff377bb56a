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
        var infos = JsonSerializer.Deserialize<List<StoredColumn>>(dataset.ColumnsJson)!
            .Select(c => new ColumnInfo(c.Name, Enum.Parse<ColumnKind>(c.Kind), c.Categories)).ToList();
        Frequency.TryParse(dataset.Frequency, out var frequency);
        var query = db.Series.AsNoTracking().Include(s => s.Columns).Where(s => s.DatasetId == id);
        if (seriesKeys is { Count: > 0 }) query = query.Where(s => seriesKeys.Contains(s.Key));
        var series = await query.OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return new DatasetFrame(frequency, infos, series.Select(s => new Series(s.Key, s.Start, s.Length,
            s.Columns.Where(c => columns is null || columns.Contains(c.Column))
                .ToDictionary(c => c.Column, c => MemoryMarshal.Cast<byte, double>(c.Values).ToArray()))).ToList());
    }

    public async Task<DatasetEntity> CreateAsync(string name, DatasetFrame frame, int duplicatesDropped, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var entity = new DatasetEntity
        {
            Id = Guid.NewGuid(), Name = name, Frequency = frame.Frequency.Code,
            ColumnsJson = JsonSerializer.Serialize(frame.Columns.Select(c => new StoredColumn(c.Name, c.Kind.ToString(), c.Categories.ToList()))),
            Rows = frame.Rows, DuplicatesDropped = duplicatesDropped, CreatedAt = now, UpdatedAt = now,
            Series = frame.Series.Select(s => new SeriesEntity
            {
                Key = s.Id, Start = s.Start, Length = s.Length,
                Columns = s.Columns.Select(c => new SeriesColumnEntity { Column = c.Key, Values = MemoryMarshal.AsBytes(c.Value.AsSpan()).ToArray() }).ToList(),
            }).ToList(),
        };
        db.Datasets.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return entity;
    }
}
