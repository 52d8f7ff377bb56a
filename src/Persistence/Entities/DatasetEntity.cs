namespace Forecasting.Persistence.Entities;

public sealed class DatasetEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The frequency code (Domain.Frequency.Code: D, H, W, M, steps, and since issue 17 30min, B, W-MON, ME, QS, QE, YS, YE …).</summary>
    public required string Frequency { get; set; }

    /// <summary>Column names, kinds and categories, as JSON (small metadata; values live in <see cref="SeriesColumnEntity"/>).</summary>
    public required string ColumnsJson { get; set; }

    public long Rows { get; set; }
    public int DuplicatesDropped { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<SeriesEntity> Series { get; set; } = [];
}
