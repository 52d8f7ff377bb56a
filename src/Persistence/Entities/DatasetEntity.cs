namespace Forecasting.Persistence.Entities;

public sealed class DatasetEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>D, H, W, M or steps.</summary>
    public required string Frequency { get; set; }

    /// <summary>Column names, kinds and categories, as JSON (small metadata; values live in <see cref="SeriesColumnEntity"/>).</summary>
    public required string ColumnsJson { get; set; }

    public long Rows { get; set; }
    public int DuplicatesDropped { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<SeriesEntity> Series { get; set; } = [];
}
