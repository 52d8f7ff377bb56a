namespace Forecasting.Domain;

/// <summary>A dataset's contents: its spacing, its columns, and its series (one or many, a panel).</summary>
public sealed record DatasetFrame(Frequency Frequency, IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<Series> Series)
{
    public ColumnInfo? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    public long Rows => Series.Sum(s => (long)s.Length);
}
