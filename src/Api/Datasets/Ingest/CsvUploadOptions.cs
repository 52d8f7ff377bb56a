namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// The form fields of a CSV upload (API.md, POST /api/datasets).
/// </summary>
/// <param name="TimeColumn">The time index column (after renaming); default: ds when the header has unique_id and ds (Nixtla's long format), else the first column.</param>
/// <param name="SeriesColumn">The panel id column; default: unique_id when the header has unique_id and ds, else none (one series with id "0").</param>
/// <param name="Frequency">A frequency code (30min, H, D, B, W, M, QS, YS … or steps; docs/api.md); inferred from the timestamps when absent.</param>
/// <param name="DateFormat">A .NET exact format such as MM/dd/yyyy; when absent ISO and common formats are tried.</param>
/// <param name="ColumnNames">New names for all columns in file order (the chapter's <c>df.columns = [...]</c>).</param>
/// <param name="DropColumns">Columns (after renaming) left out before duplicate detection.</param>
/// <param name="FillPolicy">null (reject gaps and empty cells), ffill, interpolate or zero.</param>
/// <param name="CategoricalColumns">Columns to treat as categorical even when their cells look numeric.</param>
public sealed record CsvUploadOptions(
    string? TimeColumn = null,
    string? SeriesColumn = null,
    string? Frequency = null,
    string? DateFormat = null,
    IReadOnlyList<string>? ColumnNames = null,
    IReadOnlyList<string>? DropColumns = null,
    string? FillPolicy = null,
    IReadOnlyList<string>? CategoricalColumns = null)
{
    /// <summary>
    /// The options for appending a CSV to a stored dataset: its frequency (no inference from a few rows) and
    /// its categorical columns (so "1", "2" day codes stay categories), on top of the request's own fields.
    /// </summary>
    public CsvUploadOptions ForAppend(Forecasting.Domain.Frequency frequency, IEnumerable<Forecasting.Domain.ColumnInfo> columns) => this with
    {
        Frequency = frequency.Code,
        CategoricalColumns = columns.Where(c => c.Kind == Forecasting.Domain.ColumnKind.Categorical).Select(c => c.Name)
            .Concat(CategoricalColumns ?? []).Distinct(StringComparer.Ordinal).ToArray(),
    };

    /// <summary>Splits a comma-separated form field ("date, day_type ,bus") into trimmed names; null when empty.</summary>
    public static IReadOnlyList<string>? SplitList(string? commaSeparated) =>
        string.IsNullOrWhiteSpace(commaSeparated)
            ? null
            : commaSeparated.Split(',', StringSplitOptions.TrimEntries);
}
