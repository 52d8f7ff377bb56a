using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Turns an <see cref="ObservationTable"/> into a <see cref="DatasetFrame"/>: groups rows by series, sorts them
/// by time, drops exact duplicates, rejects conflicting duplicates, gaps and empty cells (or fills them when
/// a policy says so). Rows after a series' last complete row are its known-future rows (targets empty,
/// covariates such as a planned promo set; see <see cref="DatasetFrame.Future"/>). Pure; errors go to the collector.
/// </summary>
internal static class FrameAssembler
{
    /// <summary>A series may not span more steps than this (a typo in one year must not allocate gigabytes).</summary>
    public const int MaxSeriesLength = 50_000_000;

    /// <summary>
    /// Builds the frame; <paramref name="anchorFromStamps"/>: the requested code (M, Q, Y, A) leaves start or end stamps to the data;
    /// <paramref name="maxFutureRows"/>: the most known-future rows a series may have (the horizon cap).
    /// </summary>
    public static (DatasetFrame? Frame, int DuplicatesDropped) Assemble(
        ObservationTable table, Frequency? requested, bool anchorFromStamps, FillPolicy fill, int maxFutureRows, ErrorCollector errors)
    {
        var n = table.RowCount;
        var seriesCount = table.SeriesIds.Count;

        // Counting sort by series keeps file order within each series.
        var starts = new int[seriesCount + 1];
        foreach (var s in table.SeriesOf) starts[s + 1]++;
        for (var i = 0; i < seriesCount; i++) starts[i + 1] += starts[i];
        var order = new int[n];
        var next = starts[..seriesCount];
        for (var row = 0; row < n; row++) order[next[table.SeriesOf[row]]++] = row;

        var frequency = ResolveFrequency(table, requested, anchorFromStamps, order, starts, errors);
        if (frequency is null) return (null, 0);

        var keys = ToOrdinals(table, frequency, errors);
        if (keys is null) return (null, 0);

        var duplicates = 0;
        var series = new List<Series>(seriesCount);
        var future = new Dictionary<string, Series>(StringComparer.Ordinal);
        for (var s = 0; s < seriesCount && !errors.IsFull; s++)
        {
            var rows = order.AsSpan(starts[s], starts[s + 1] - starts[s]);
            SortByTime(rows, keys);
            var kept = KeepDistinct(table, frequency, fill, rows, keys, errors, ref duplicates);
            if (kept is not { Count: > 0 } || errors.Any) continue;
            var (built, known) = Build(table, frequency, fill, maxFutureRows, table.SeriesIds[s], kept, keys, errors);
            if (built is not null) series.Add(built);
            if (known is not null) future[known.Id] = known;
        }
        return errors.Any ? (null, duplicates) : (new DatasetFrame(frequency, table.Columns, series) { Future = future }, duplicates);
    }

    private static Frequency? ResolveFrequency(ObservationTable table, Frequency? requested, bool anchorFromStamps, int[] order, int[] starts, ErrorCollector errors)
    {
        if (table.TimesAreSteps)
        {
            if (requested is not null && requested != Frequency.Steps)
            {
                errors.Add("frequency", $"The time index holds step numbers, but frequency {requested.Code} was asked for.");
                return null;
            }
            return Frequency.Steps;
        }
        if (requested is not null)
            return anchorFromStamps ? requested.AnchoredBy(table.Times.Select(t => new DateTime(t, DateTimeKind.Utc))) : requested;

        // Infer from the longest series: its own spacing is what the user means.
        var longest = 0;
        for (var s = 1; s < starts.Length - 1; s++)
            if (starts[s + 1] - starts[s] > starts[longest + 1] - starts[longest]) longest = s;
        var ticks = new long[starts[longest + 1] - starts[longest]];
        var sorted = true;
        for (var i = 0; i < ticks.Length; i++)
        {
            ticks[i] = table.Times[order[starts[longest] + i]];
            sorted &= i == 0 || ticks[i] >= ticks[i - 1];
        }
        if (!sorted) Array.Sort(ticks);
        var times = new List<DateTime>(ticks.Length);
        for (var i = 0; i < ticks.Length; i++)
            if (i == 0 || ticks[i] != ticks[i - 1]) times.Add(new DateTime(ticks[i], DateTimeKind.Utc));
        var candidates = Frequency.Candidates(times);
        if (candidates.Count == 1) return candidates[0];
        errors.Add("frequency", candidates.Count == 0
            ? $"Could not infer the frequency from the timestamps (no regular spacing of minutes, hours, days, business days, weeks, months, quarters or years); pass frequency: {Frequency.AcceptedCodes}."
            : $"The timestamps fit {string.Join(" and ", candidates.Select(f => $"{f.Code} ({f.Description})"))} equally well; pass frequency: {Frequency.AcceptedCodes}.");
        return null;
    }

    private static long[]? ToOrdinals(ObservationTable table, Frequency frequency, ErrorCollector errors)
    {
        if (table.TimesAreSteps) return table.Times;
        var keys = new long[table.RowCount];
        for (var row = 0; row < keys.Length && !errors.IsFull; row++)
        {
            var time = new DateTime(table.Times[row]);
            if (frequency.OffGridReason(time) is { } reason)
            {
                errors.Add(table.Locate(row, table.TimeColumn),
                    $"'{time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)}' is not on the {frequency.Description} grid ({reason}).");
                continue;
            }
            keys[row] = frequency.ToOrdinal(time);
        }
        return errors.Any ? null : keys;
    }

    /// <summary>Sorts a series' rows by time; rows with equal times stay in file order (the first one is kept).</summary>
    private static void SortByTime(Span<int> rows, long[] keys)
    {
        var sorted = true;
        for (var i = 1; i < rows.Length && sorted; i++) sorted = keys[rows[i]] >= keys[rows[i - 1]];
        if (sorted) return;
        var sortKeys = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++) sortKeys[i] = keys[rows[i]];
        sortKeys.AsSpan().Sort(rows);
        // Array sorting is unstable: put equal-time runs back in file order.
        for (var i = 0; i < rows.Length;)
        {
            var j = i + 1;
            while (j < rows.Length && sortKeys[j] == sortKeys[i]) j++;
            if (j - i > 1) rows[i..j].Sort();
            i = j;
        }
    }

    private static List<int>? KeepDistinct(ObservationTable table, Frequency frequency, FillPolicy fill,
        Span<int> rows, long[] keys, ErrorCollector errors, ref int duplicates)
    {
        var kept = new List<int>(rows.Length);
        for (var i = 0; i < rows.Length && !errors.IsFull; i++)
        {
            var row = rows[i];
            var key = keys[row];
            if (kept.Count == 0) { kept.Add(row); continue; }
            var previous = kept[^1];
            var previousKey = keys[previous];
            if (key == previousKey)
            {
                var differing = FirstDifference(table, previous, row);
                if (differing < 0 && !table.RejectExactDuplicates) { duplicates++; continue; }
                errors.Add(table.Locate(row, differing < 0 ? table.TimeColumn : table.Columns[differing].Name), differing < 0
                    ? $"{InSeries(table, row)}{frequency.Format(key)} appears twice ({table.Locate(previous, null)} and {table.Locate(row, null)}); give each timestamp once."
                    : ConflictingDuplicate(table, frequency.Format(key), previous, row, differing));
                continue;
            }
            var delta = key - previousKey;
            if (delta % frequency.Stride != 0)
            {
                errors.Add(table.Locate(row, table.TimeColumn),
                    $"{frequency.Format(key)} is not a whole number of {frequency.Description} steps after {frequency.Format(previousKey)} ({table.Locate(previous, null)}); expected {frequency.Format(frequency.Add(previousKey, 1))}.");
            }
            else if (delta != frequency.Stride && fill == FillPolicy.None)
            {
                var missing = delta / frequency.Stride - 1;
                errors.Add(table.Locate(row, table.TimeColumn),
                    $"{InSeries(table, row)}Gap before {frequency.Format(key)}: expected {frequency.Format(frequency.Add(previousKey, 1))} after {frequency.Format(previousKey)} ({table.Locate(previous, null)}); " +
                    $"{missing} step{(missing == 1 ? "" : "s")} missing. Pass fillPolicy ({FillPolicies.Names}) to fill gaps.");
            }
            else if (frequency.StepsBetween(keys[kept[0]], key) >= MaxSeriesLength)
            {
                errors.Add(table.Locate(row, table.TimeColumn), $"The series would span more than {MaxSeriesLength:N0} steps; check the timestamps.");
                return null;
            }
            kept.Add(row);
        }
        return kept;
    }

    /// <summary>
    /// Two rows of one series at one time with different values: names the series, the time and both rows. Without a
    /// series column the rows are more often two series than a typo: then it says which field would tell them apart.
    /// </summary>
    private static string ConflictingDuplicate(ObservationTable table, string time, int first, int second, int differing)
    {
        var column = table.Columns[differing];
        var where = $"{time} appears twice ({table.Locate(first, null)} and {table.Locate(second, null)}) with a different {column.Name} " +
            $"({Display(column, table.Values[differing][first])} vs {Display(column, table.Values[differing][second])})";
        if (table.SeriesColumn is not null)
            return $"{InSeries(table, second)}{where}; keep one of the rows.";
        var apart = Enumerable.Range(0, table.Columns.Count).Where(c => !table.Values[c][first].Equals(table.Values[c][second])).ToList();
        var ids = apart.Where(c => table.Columns[c].Kind == ColumnKind.Categorical).Select(c => table.Columns[c].Name).ToList();
        var fix = ids.Count == 1
            ? $"If {ids[0]} tells the series apart, pass seriesColumn={ids[0]}"
            : $"If the rows are different series, pass seriesColumn naming the column that tells them apart (they differ in {string.Join(", ", apart.Select(c => table.Columns[c].Name))})";
        return $"{where}. {fix}; otherwise keep one of the rows.";
    }

    /// <summary>"Series 'A' (unique_id): " where the rows name their series, so a panel's message says which; empty otherwise.</summary>
    private static string InSeries(ObservationTable table, int row) =>
        table.SeriesColumn is null ? "" : $"Series '{table.SeriesIds[table.SeriesOf[row]]}' ({table.SeriesColumn}): ";

    /// <summary>Index of the first column whose values differ between two rows, or -1 when the rows are equal.</summary>
    private static int FirstDifference(ObservationTable table, int a, int b)
    {
        for (var c = 0; c < table.Values.Count; c++)
            if (!table.Values[c][a].Equals(table.Values[c][b])) return c; // Equals: NaN equals NaN (both missing)
        return -1;
    }

    internal static string Display(ColumnInfo column, double value) =>
        double.IsNaN(value) ? "empty"
        : column.Kind == ColumnKind.Categorical ? $"'{column.Categories[(int)value]}'"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static (Series? Observed, Series? Future) Build(ObservationTable table, Frequency frequency, FillPolicy fill, int maxFutureRows, string id,
        List<int> kept, long[] keys, ErrorCollector errors)
    {
        var first = keys[kept[0]];
        var length = checked((int)frequency.StepsBetween(first, keys[kept[^1]]) + 1);
        var contiguous = length == kept.Count;
        int[]? rowAt = null;
        if (!contiguous)
        {
            rowAt = new int[length];
            Array.Fill(rowAt, -1);
            foreach (var row in kept) rowAt[frequency.StepsBetween(first, keys[row])] = row;
        }
        int RowAt(int i) => contiguous ? kept[i] : rowAt![i];

        var observed = ObservedLength(table, length, RowAt);
        var future = observed < length ? FutureRows(table, frequency, maxFutureRows, id, observed, length, first, RowAt, errors) : null;
        if (observed == 0) return (null, null);

        var columns = new Dictionary<string, double[]>(table.Columns.Count, StringComparer.Ordinal);
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            var source = table.Values[c];
            var values = new double[observed];
            var missing = 0;
            for (var i = 0; i < observed; i++)
            {
                var row = RowAt(i);
                var value = row < 0 ? double.NaN : source[row];
                values[i] = value;
                if (double.IsNaN(value)) missing++;
            }
            if (missing > 0)
            {
                if (fill == FillPolicy.None)
                {
                    for (var i = 0; i < observed && !errors.IsFull; i++)
                        if (double.IsNaN(values[i]))
                            errors.Add(table.Locate(RowAt(i), column.Name),
                                $"The cell is empty, and a later row of series '{id}' is complete ({table.Locate(RowAt(observed - 1), null)}), so this is not a future row " +
                                $"(future rows, with the targets empty and the known-future columns set, come after the last complete row); pass fillPolicy ({FillPolicies.Names}) to fill missing values.");
                    continue;
                }
                MissingValueFiller.Fill(values, column.Kind == ColumnKind.Categorical ? FillPolicy.ForwardFill : fill);
            }
            columns[column.Name] = values;
        }
        return errors.Any ? (null, null) : (new Series(id, first, observed, columns), future);
    }

    /// <summary>Steps up to and including the series' last complete row (every cell set); what follows are future rows.</summary>
    private static int ObservedLength(ObservationTable table, int length, Func<int, int> rowAt)
    {
        var observed = length;
        while (observed > 0)
        {
            var row = rowAt(observed - 1);
            if (row >= 0 && table.Values.All(v => !double.IsNaN(v[row]))) break;
            observed--;
        }
        return observed;
    }

    /// <summary>
    /// The rows after the last complete one as known-future rows: the columns set in any of them are the known-future
    /// columns and every future row sets them all; the others (the targets) stay empty. At most <paramref name="maxFutureRows"/>.
    /// </summary>
    private static Series? FutureRows(ObservationTable table, Frequency frequency, int maxFutureRows, string id, int observed, int length, long first,
        Func<int, int> rowAt, ErrorCollector errors)
    {
        var before = errors.Count;
        if (observed == 0)
        {
            errors.Add(table.Locate(rowAt(length - 1), null),
                $"Series '{id}' has no complete row: every row leaves a cell empty. Rows with empty targets are future rows, which follow the observations; give the observed values, or pass fillPolicy ({FillPolicies.Names}) for missing ones.");
            return null;
        }
        var lastComplete = table.Locate(rowAt(observed - 1), null);
        if (length - observed > maxFutureRows)
        {
            errors.Add(table.Locate(rowAt(observed + maxFutureRows), table.TimeColumn),
                $"Series '{id}' has {length - observed} future rows (rows with empty cells after its last complete row, {lastComplete}); at most {maxFutureRows} are accepted, " +
                "the longest horizon a forecast may ask for (Limits:MaxHorizon).");
            return null;
        }
        var known = new List<int>();
        for (var c = 0; c < table.Columns.Count; c++)
            for (var i = observed; i < length; i++)
                if (rowAt(i) is var row and >= 0 && !double.IsNaN(table.Values[c][row])) { known.Add(c); break; }
        for (var i = observed; i < length && !errors.IsFull; i++)
        {
            var row = rowAt(i);
            if (row < 0)
            {
                errors.Add(table.TimeColumn, $"Series '{id}' has no row at {frequency.Format(frequency.Add(first, i))}, among its future rows (after {lastComplete}); future rows are consecutive steps.");
                continue;
            }
            if (known.Count == 0)
            {
                errors.Add(table.Locate(row, null), $"The row has no values. A future row (after the series' last complete row, {lastComplete}) leaves the targets empty and sets the known-future columns.");
                continue;
            }
            foreach (var c in known)
                if (double.IsNaN(table.Values[c][row]))
                    errors.Add(table.Locate(row, table.Columns[c].Name),
                        $"The cell is empty in a future row (after the series' last complete row, {lastComplete}); {table.Columns[c].Name} is set in other future rows, so it is a known-future column and every future row sets it.");
        }
        if (errors.Count > before) return null;
        var start = frequency.Add(first, observed);
        var values = known.ToDictionary(c => table.Columns[c].Name, c =>
        {
            var column = new double[length - observed];
            for (var i = observed; i < length; i++) column[i - observed] = table.Values[c][rowAt(i)];
            return column;
        }, StringComparer.Ordinal);
        return new Series(id, start, length - observed, values);
    }
}
