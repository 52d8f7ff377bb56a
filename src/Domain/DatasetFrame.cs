namespace Forecasting.Domain;

/// <summary>A dataset's contents: its spacing, its columns, and its series (one or many, a panel).</summary>
public sealed record DatasetFrame(Frequency Frequency, IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<Series> Series)
{
    private static readonly IReadOnlyDictionary<string, Series> NoFuture = new Dictionary<string, Series>(StringComparer.Ordinal);

    /// <summary>
    /// Known-future rows by series id: the steps right after a series' last observation where the targets are
    /// not known yet but covariates (a planned promo) are. Only the known columns are present. They are not
    /// observations: training never sees them; forecasts from the series' end read them as the known future.
    /// </summary>
    public IReadOnlyDictionary<string, Series> Future { get; init; } = NoFuture;

    public ColumnInfo? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    public long Rows => Series.Sum(s => (long)s.Length);

    /// <summary>The known-future rows stored after a series, or null.</summary>
    public Series? FutureOf(string seriesId) => Future.GetValueOrDefault(seriesId);
}
