using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Merges newer observations (read by <see cref="CsvDatasetReader"/> or <see cref="JsonDatasetReader"/> with the
/// dataset's frequency) into a stored frame. Rows at stored timestamps must repeat the stored values (they are
/// ignored) or they conflict; new rows must continue each series without a gap; unknown series ids start new
/// series of the panel. Columns must match by name and kind; new categories are appended to a categorical
/// column's list so stored codes keep their meaning. Known-future rows posted for a series replace its stored ones;
/// stored ones that the new observations reach are dropped. Pure: the caller stores <see cref="AppendResult.Merged"/>.
/// </summary>
public static class DatasetAppender
{
    public static AppendResult Append(DatasetFrame existing, DatasetFrame incoming)
    {
        var errors = new ErrorCollector();
        if (incoming.Frequency != existing.Frequency)
        {
            errors.Add("frequency", $"The dataset's frequency is {existing.Frequency.Code}, but the new rows are {incoming.Frequency.Code}.");
            return Failed(errors, conflict: false);
        }
        var columns = MergeColumns(existing, incoming, errors, out var codeMaps);
        if (columns is null) return Failed(errors, conflict: false);

        var frequency = existing.Frequency;
        var byId = existing.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var replaced = new Dictionary<string, Series>(StringComparer.Ordinal);
        var added = new List<Series>();
        int addedRows = 0, ignoredRows = 0;
        var conflict = false;

        foreach (var series in incoming.Series)
        {
            if (errors.IsFull) break;
            var values = columns.ToDictionary(c => c.Name, c => Recode(series[c.Name], codeMaps[c.Name]), StringComparer.Ordinal);
            if (!byId.TryGetValue(series.Id, out var stored))
            {
                if (replaced.ContainsKey(series.Id) || added.Any(a => a.Id == series.Id))
                {
                    errors.Add($"series {series.Id}", "The series appears twice in the new rows.");
                    continue;
                }
                added.Add(new Series(series.Id, series.Start, series.Length, values));
                addedRows += series.Length;
                continue;
            }

            var storedEnd = stored.End(frequency);
            if (!frequency.IsAligned(stored.Start, series.Start))
            {
                errors.Add($"series {series.Id}", $"{frequency.Format(series.Start)} is not on the series' {frequency.Code} grid (it starts {frequency.Format(stored.Start)}).");
                continue;
            }
            if (series.Start < stored.Start)
            {
                errors.Add($"series {series.Id}", $"The new rows start at {frequency.Format(series.Start)}, before the series' first timestamp {frequency.Format(stored.Start)}; only newer rows can be appended.");
                continue;
            }
            var expectedNext = frequency.Add(storedEnd, 1);
            if (series.Start > expectedNext)
            {
                errors.Add($"series {series.Id}", $"Gap: the series ends at {frequency.Format(storedEnd)}, so the new rows must continue at {frequency.Format(expectedNext)}, but they start at {frequency.Format(series.Start)}.");
                continue;
            }

            // Overlap with stored rows: equal values are ignored, different ones conflict.
            var offset = (int)frequency.StepsBetween(stored.Start, series.Start);
            var overlap = Math.Min(series.Length, stored.Length - offset);
            for (var i = 0; i < overlap && !errors.IsFull; i++)
            {
                var same = true;
                foreach (var column in columns)
                {
                    var (old, @new) = (stored[column.Name][offset + i], values[column.Name][i]);
                    if (old.Equals(@new)) continue;
                    same = false;
                    conflict = true;
                    errors.Add($"series {series.Id}, {frequency.Format(frequency.Add(series.Start, i))}, column {column.Name}",
                        $"The dataset holds {FrameAssembler.Display(column, old)} there; the new value is {FrameAssembler.Display(column, @new)}.");
                }
                if (same) ignoredRows++;
            }
            var newRows = series.Length - overlap;
            if (newRows <= 0) continue;
            addedRows += newRows;
            var length = stored.Length + newRows;
            var merged = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var column in columns)
            {
                var combined = new double[length];
                stored[column.Name].CopyTo(combined, 0);
                Array.Copy(values[column.Name], overlap, combined, stored.Length, newRows);
                merged[column.Name] = combined;
            }
            replaced[series.Id] = new Series(series.Id, stored.Start, length, merged);
        }
        if (errors.Any) return Failed(errors, conflict);

        var allSeries = existing.Series.Select(s => replaced.GetValueOrDefault(s.Id) ?? s).Concat(added).ToList();
        var future = MergeFuture(existing, incoming, allSeries, codeMaps, errors);
        if (errors.Any) return Failed(errors, conflict: false);
        return new AppendResult(new DatasetFrame(frequency, columns, allSeries) { Future = future }, addedRows, ignoredRows, [], false);
    }

    /// <summary>
    /// Each series' known-future rows after the append: the posted ones (they must follow the series' end), else the
    /// stored ones less the steps now observed.
    /// </summary>
    private static Dictionary<string, Series> MergeFuture(DatasetFrame existing, DatasetFrame incoming, IReadOnlyList<Series> merged,
        Dictionary<string, double[]?> codeMaps, ErrorCollector errors)
    {
        var frequency = existing.Frequency;
        var future = new Dictionary<string, Series>(StringComparer.Ordinal);
        foreach (var series in merged)
        {
            var next = frequency.Add(series.End(frequency), 1);
            if (incoming.FutureOf(series.Id) is { } posted)
            {
                if (posted.Start != next)
                    errors.Add($"series {series.Id}", $"The future rows start at {frequency.Format(posted.Start)}, but the series' observations end at " +
                        $"{frequency.Format(series.End(frequency))}; future rows follow the last observation, at {frequency.Format(next)}.");
                else future[series.Id] = new Series(series.Id, posted.Start, posted.Length,
                    posted.Columns.ToDictionary(c => c.Key, c => Recode(c.Value, codeMaps[c.Key]), StringComparer.Ordinal));
                continue;
            }
            if (existing.FutureOf(series.Id) is not { } stored) continue;
            var observed = (int)frequency.StepsBetween(stored.Start, next);
            if (observed >= stored.Length) continue;
            future[series.Id] = observed == 0 ? stored
                : new Series(series.Id, next, stored.Length - observed, stored.Columns.ToDictionary(c => c.Key, c => c.Value[observed..], StringComparer.Ordinal));
        }
        return future;
    }

    private static AppendResult Failed(ErrorCollector errors, bool conflict) => new(null, 0, 0, errors.ToList(), conflict);

    /// <summary>The dataset's columns with any new categories appended; per column, incoming code → merged code (null for numeric).</summary>
    private static IReadOnlyList<ColumnInfo>? MergeColumns(DatasetFrame existing, DatasetFrame incoming, ErrorCollector errors,
        out Dictionary<string, double[]?> codeMaps)
    {
        codeMaps = new Dictionary<string, double[]?>(StringComparer.Ordinal);
        var merged = new List<ColumnInfo>();
        foreach (var column in existing.Columns)
        {
            var other = incoming.Column(column.Name);
            if (other is null)
            {
                errors.Add("columns", $"The new rows have no column '{column.Name}'; give every column of the dataset.");
                continue;
            }
            if (other.Kind != column.Kind)
            {
                errors.Add($"column {column.Name}", $"The column is {column.Kind.ToWire()} in the dataset, but {other.Kind.ToWire()} in the new rows.");
                continue;
            }
            if (column.Kind == ColumnKind.Numeric)
            {
                codeMaps[column.Name] = null;
                merged.Add(column);
                continue;
            }
            var categories = column.Categories.ToList();
            var map = new double[other.Categories.Count];
            for (var code = 0; code < map.Length; code++)
            {
                var index = categories.IndexOf(other.Categories[code]);
                if (index < 0) { index = categories.Count; categories.Add(other.Categories[code]); }
                map[code] = index;
            }
            codeMaps[column.Name] = map;
            merged.Add(column with { Categories = categories });
        }
        foreach (var column in incoming.Columns.Where(c => existing.Column(c.Name) is null))
            errors.Add($"column {column.Name}", "The dataset has no such column.");
        return errors.Any ? null : merged;
    }

    private static double[] Recode(double[] values, double[]? codeMap)
    {
        if (codeMap is null) return values;
        var recoded = new double[values.Length];
        for (var i = 0; i < values.Length; i++) recoded[i] = double.IsNaN(values[i]) ? double.NaN : codeMap[(int)values[i]];
        return recoded;
    }
}
