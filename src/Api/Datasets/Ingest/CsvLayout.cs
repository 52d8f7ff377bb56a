using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Which CSV field is what: the names after renaming, the time and series columns, the kept value columns.
/// Checks the header against the upload options and reports every mismatch by the option's name.
/// </summary>
internal sealed partial class CsvLayout
{
    public required IReadOnlyList<string> Names { get; init; }
    public required int TimeIndex { get; init; }

    /// <summary>-1 when the file is one series.</summary>
    public required int SeriesIndex { get; init; }

    /// <summary>Field positions of the value columns, in file order.</summary>
    public required IReadOnlyList<int> ValueColumns { get; init; }

    public required IReadOnlySet<string> Categorical { get; init; }

    /// <summary>Nixtla's long format: the series id column and the time column (StatsForecast, NeuralForecast, MLForecast).</summary>
    public const string NixtlaSeries = "unique_id", NixtlaTime = "ds";

    private static string? Given(string? option) => string.IsNullOrWhiteSpace(option) ? null : option.Trim();

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

        // Nixtla's long format (unique_id, ds, y, ...) names its series and time columns itself; otherwise the time
        // column is the first column, or the second when the first is the series column (id,date,... panels).
        var seriesOption = Given(options.SeriesColumn);
        var timeOption = Given(options.TimeColumn);
        var nixtla = seen.ContainsKey(NixtlaSeries) && seen.ContainsKey(NixtlaTime);
        var seriesName = seriesOption ?? (nixtla && timeOption != NixtlaSeries ? NixtlaSeries : null);
        var timeName = timeOption ?? (nixtla && seriesName != NixtlaTime ? NixtlaTime
            : names[0] == seriesName && names.Count > 1 ? names[1] : names[0]);
        if (!seen.TryGetValue(timeName, out var timeIndex))
            errors.Add("timeColumn", $"There is no column '{timeName}'; the columns are: {Known()}.");
        else if (dropped.Contains(timeName))
            errors.Add("dropColumns", $"The time column '{timeName}' cannot be dropped.");

        var seriesIndex = -1;
        if (seriesName is not null)
        {
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

    /// <summary>
    /// For the first row whose time cell is not a time: the upload fields that would read the file, from that row's
    /// cells. A date in another column names the time column; a time cell that is text (not a date in another format,
    /// which dateFormat reads) is likely the series id. Empty when the row suggests nothing.
    /// </summary>
    public string TimeColumnHint(IReadOnlyList<string> row, string? dateFormat)
    {
        var timeName = Names[TimeIndex];
        var probe = new TimestampParser(dateFormat, steps: false);
        var dates = Enumerable.Range(0, Math.Min(row.Count, Names.Count))
            .Where(i => i != TimeIndex && i != SeriesIndex && IsDate(row[i].Trim(), probe))
            .Select(i => Names[i]).ToList();
        var timeField = dates.Count switch
        {
            1 => $"timeColumn={dates[0]}",
            > 1 => $"timeColumn naming the date column ({string.Join(" or ", dates)})",
            _ => $"timeColumn naming the date column (the columns are: {string.Join(", ", Names)})",
        };
        var timeText = TimeIndex < row.Count ? row[TimeIndex].Trim() : "";
        var isText = !IsNumber(timeText) && !DateLike().IsMatch(timeText);
        if (isText && SeriesIndex < 0) return $" If {timeName} names the series, pass seriesColumn={timeName} and {timeField}.";
        return isText || dates.Count > 0 ? $" Pass {timeField}." : "";
    }

    // Numbers are values (or step numbers), not dates, even when a year format would read them.
    private static bool IsDate(string cell, TimestampParser probe) => cell.Length > 0 && !IsNumber(cell) && probe.TryParseDate(cell, out _);

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Digits, a separator, digits: a date in some format (31.01.2019, 2019/1/31), not an id.</summary>
    [GeneratedRegex(@"^\d{1,4}[-/.]\d{1,2}")]
    private static partial Regex DateLike();
}
