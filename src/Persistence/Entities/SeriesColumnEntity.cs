namespace Forecasting.Persistence.Entities;

/// <summary>One column of one series: its values as a little-endian float64 blob (compact, read whole).</summary>
public sealed class SeriesColumnEntity
{
    public long SeriesId { get; set; }
    public required string Column { get; set; }
    public required byte[] Values { get; set; }
}
