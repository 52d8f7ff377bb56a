using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Rows as read from an upload, before sorting, de-duplication and gap checks: one entry per input row,
/// columns already typed (NaN marks a missing cell; categorical columns hold codes into their categories).
/// Shared by the CSV and JSON readers so both apply the same rules and messages.
/// </summary>
internal sealed class ObservationTable
{
    /// <summary>Per row: <see cref="DateTime"/> ticks (UTC), or the step number when <see cref="TimesAreSteps"/>.</summary>
    public required long[] Times { get; init; }

    public required bool TimesAreSteps { get; init; }

    /// <summary>Per row: index into <see cref="SeriesIds"/>.</summary>
    public required int[] SeriesOf { get; init; }

    public required IReadOnlyList<string> SeriesIds { get; init; }

    public required IReadOnlyList<ColumnInfo> Columns { get; init; }

    /// <summary>One array per column, one value per row.</summary>
    public required IReadOnlyList<double[]> Values { get; init; }

    /// <summary>The time index's name in error messages ("date", "timestamps").</summary>
    public required string TimeColumn { get; init; }

    /// <summary>What names each row's series ("unique_id", "id"); null when the rows name none (a CSV without a series column).</summary>
    public string? SeriesColumn { get; init; }

    /// <summary>Names a row (and optionally a column) the way the input format does: "line 17, column rail" or "series[0].columns.rail[12]".</summary>
    public required Func<int, string?, string> Locate { get; init; }

    /// <summary>
    /// Whether a row repeating an earlier row of its series exactly (same time, same values) is an error rather than
    /// dropped and counted: a stateless forecast takes each timestamp once.
    /// </summary>
    public bool RejectExactDuplicates { get; init; }

    public int RowCount => Times.Length;
}
