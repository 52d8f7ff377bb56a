using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Which CSV field is what: the names after renaming, the time and series columns, the kept value columns.
/// Checks the header against the upload options and reports every mismatch by the option's name.
/// </summary>
internal sealed class CsvLayout
{
    public required IReadOnlyList<string> Names { get; init; }
    public required int TimeIndex { get; init; }

    /// <summary>-1 when the file is one series.</summary>
    public required int SeriesIndex { get; init; }

    /// <summary>Field positions of the value columns, in file order.</summary>
    public required IReadOnlyList<int> ValueColumns { get; init; }

    public required IReadOnlySet<string> Categorical { get; init; }

    public static CsvLayout? Resolve(string[] header, CsvUploadOptions options, ErrorCollector errors)
    {
        IReadOnlyList<string> names = header;
        if (options.ColumnNames is { Count: > 0 } renamed)
        {
            if (renamed.Count != header.Length)
            {
                errors.Add("columnNames", $"{renamed.Count} names were given, but the file has {header.Length} columns ({string.Join(", ", header)}).");
                return null;
            }
            names = renamed.Select(n => n.Trim()).ToArray();
        }
        var field = options.ColumnNames is { Count: > 0 } ? "columnNames" : "header";
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0) errors.Add(field, $"Column {i + 1} has no name.");
            else if (!seen.TryAdd(names[i], i)) errors.Add(field, $"The column name '{names[i]}' appears twice (columns {seen[names[i]] + 1} and {i + 1}).");
        }
        if (errors.Any) return null;

        string Known() => string.Join(", ", names);
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in options.DropColumns ?? [])
        {
            if (string.IsNullOrWhiteSpace(name)) continue;
            if (seen.ContainsKey(name.Trim())) dropped.Add(name.Trim());
            else errors.Add("dropColumns", $"There is no column '{name}' to drop; the columns are: {Known()}.");
        }

        // Default: the first column, or the second when the first is the series column (id,date,... panels).
        var seriesOption = options.SeriesColumn?.Trim();
        var timeName = !string.IsNullOrWhiteSpace(options.TimeColumn) ? options.TimeColumn.Trim()
            : names[0] == seriesOption && names.Count > 1 ? names[1] : names[0];
        if (!seen.TryGetValue(timeName, out var timeIndex))
            errors.Add("timeColumn", $"There is no column '{timeName}'; the columns are: {Known()}.");
        else if (dropped.Contains(timeName))
            errors.Add("dropColumns", $"The time column '{timeName}' cannot be dropped.");

        var seriesIndex = -1;
        if (!string.IsNullOrWhiteSpace(options.SeriesColumn))
        {
            var seriesName = options.SeriesColumn.Trim();
            if (!seen.TryGetValue(seriesName, out seriesIndex))
                errors.Add("seriesColumn", $"There is no column '{seriesName}'; the columns are: {Known()}.");
            else if (seriesIndex == timeIndex)
                errors.Add("seriesColumn", "The series column cannot also be the time column.");
            else if (dropped.Contains(seriesName))
                errors.Add("dropColumns", $"The series column '{seriesName}' cannot be dropped.");
        }

        // Names not in the file are ignored: appends pass the dataset's categorical columns, and a missing
        // column is reported by DatasetAppender in terms of the dataset.
        var categorical = new HashSet<string>((options.CategoricalColumns ?? []).Select(n => n.Trim()), StringComparer.Ordinal);
        if (errors.Any) return null;

        var valueColumns = Enumerable.Range(0, names.Count)
            .Where(i => i != timeIndex && i != seriesIndex && !dropped.Contains(names[i]))
            .ToArray();
        if (valueColumns.Length == 0)
        {
            errors.Add("file", "The file has no value columns besides the time (and series) column.");
            return null;
        }
        return new CsvLayout { Names = names, TimeIndex = timeIndex, SeriesIndex = seriesIndex, ValueColumns = valueColumns, Categorical = categorical };
    }
}
