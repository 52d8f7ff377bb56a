namespace Forecasting.Persistence.Entities;

/// <summary>One series of a dataset: its id within the dataset, start ordinal and length.</summary>
public sealed class SeriesEntity
{
    public long Id { get; set; }
    public Guid DatasetId { get; set; }
    public required string Key { get; set; }
    public long Start { get; set; }
    public int Length { get; set; }

    /// <summary>Known-future rows stored after the observations (their values follow the observed ones in the column blobs).</summary>
    public int FutureLength { get; set; }
    public List<SeriesColumnEntity> Columns { get; set; } = [];
}
