using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Reads an uploaded CSV into a <see cref="DatasetFrame"/> (API.md "Datasets", ingest rules). Streams the file
/// once with CsvHelper's parser (no reflection mapping), keeping each column in a double buffer.
/// Errors name the line (1-based, the header is line 1) and column.
/// </summary>
public static class CsvDatasetReader
{
    /// <summary>The series id of a dataset read without a series column.</summary>
    public const string SingleSeriesId = "0";

    /// <summary>Reads with the caps in <paramref name="limits"/> (default: the configuration defaults).</summary>
    public static IngestResult Read(Stream stream, CsvUploadOptions options, Limits? limits = null)
    {
        // detectEncodingFromByteOrderMarks strips a UTF-8/UTF-16 BOM so the first header name stays clean.
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        return Read(reader, options, limits);
    }

    /// <param name="text">The file.</param>
    /// <param name="options">The upload's form fields.</param>
    /// <param name="limits">Caps (default: the configuration defaults).</param>
    /// <param name="rejectDuplicates">Refuse rows repeating an earlier row exactly, rather than drop and count them.</param>
    public static IngestResult Read(TextReader text, CsvUploadOptions options, Limits? limits = null, bool rejectDuplicates = false)
    {
        limits ??= new Limits();
        var errors = new ErrorCollector();
        if (!FillPolicies.TryParse(options.FillPolicy, out var fill))
            return IngestResult.Failed("fillPolicy", $"'{options.FillPolicy}' is not a fill policy; use {FillPolicies.Names}.");
        Frequency? frequency = null;
        if (!string.IsNullOrWhiteSpace(options.Frequency) && !Frequency.TryParse(options.Frequency, out frequency))
            return IngestResult.Failed("frequency", $"'{options.Frequency}' is not a frequency; use {Frequency.AcceptedCodes}.");

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false, // the header is read by hand: renames, duplicates and drops are checked here
            // No TrimOptions: trimming every field costs a third of the parse; number and date parsing allow
            // surrounding blanks, and texts (names, ids, categories) are trimmed where they are kept.
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
            BadDataFound = args => errors.Add($"line {args.Context.Parser?.RawRow}", $"Malformed quoting: {Shorten(args.RawRecord)}"),
        };
        // The header alone decides whether the file is within the column caps: the time and series columns, the
        // dropped ones and up to MaxColumns value columns, each name up to MaxLabelLength (plus quotes and comma).
        var maxFields = limits.MaxColumns + 2 + (options.DropColumns?.Count ?? 0);
        var reader = new HeaderLineLimit(text, (int)Math.Min(int.MaxValue, (long)maxFields * (limits.MaxLabelLength + 3)));
        using var parser = new CsvParser(reader, config, leaveOpen: true);
        var hasHeader = parser.Read();
        if (reader.Exceeded)
            return IngestResult.Failed("columns", $"The header line is longer than {reader.MaxHeaderChars:N0} characters, more than {limits.MaxColumns:N0} value columns " +
                $"(Limits:MaxColumns) with names of up to {limits.MaxLabelLength:N0} characters (Limits:MaxLabelLength) can take.");
        if (!hasHeader)
            return IngestResult.Failed("file", "The file is empty.");
        if (parser.Count > maxFields) // counted before any field is turned into a string
            return IngestResult.Failed("columns", $"The header has {parser.Count:N0} columns; at most {limits.MaxColumns:N0} value columns are accepted " +
                "besides the time and series columns (Limits:MaxColumns).");

        var layout = CsvLayout.Resolve((parser.Record ?? []).Select(h => h.Trim()).ToArray(), options, errors);
        if (layout is null) return IngestResult.Failed(errors.ToList());
        if (layout.ValueColumns.Count > limits.MaxColumns)
            return IngestResult.Failed("columns", $"The file has {layout.ValueColumns.Count:N0} value columns; at most {limits.MaxColumns:N0} are accepted (Limits:MaxColumns).");

        var columns = layout.ValueColumns
            .Select(c => new CsvColumnAccumulator(layout.Names[c], c, layout.Categorical.Contains(layout.Names[c]), 1024))
            .ToArray();
        var times = new List<long>(1024);
        var lines = new List<int>(1024);
        var seriesOf = new List<int>(1024);
        var seriesIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var seriesIds = new List<string>();
        TimestampParser? timeParser = frequency is null ? null : new TimestampParser(options.DateFormat, frequency == Frequency.Steps);
        var timeName = layout.Names[layout.TimeIndex];
        var fieldCount = layout.Names.Count;

        while (!errors.IsFull && parser.Read())
        {
            var line = parser.RawRow; // physical line (the header is line 1), as an editor shows it
            if (parser.Count != fieldCount)
            {
                errors.Add($"line {line}", $"The row has {parser.Count} fields, but the header has {fieldCount}.");
                continue;
            }
            var timeText = parser[layout.TimeIndex].Trim();
            if (CsvColumnAccumulator.IsMissing(timeText))
            {
                errors.Add($"line {line}, column {timeName}", "The time cell is empty.");
                continue;
            }
            // Without a frequency, the first timestamp decides: an integer means steps, anything else a date.
            timeParser ??= new TimestampParser(options.DateFormat, options.DateFormat is null && TimestampParser.LooksLikeStep(timeText));
            if (!timeParser.TryParse(timeText, out var time))
            {
                // The first time cell that is not a date usually means the columns were taken wrongly: say which to name.
                var hint = times.Count == 0 && !errors.Any && !timeParser.IsSteps ? layout.TimeColumnHint(parser.Record ?? [], options.DateFormat) : "";
                errors.Add($"line {line}, column {timeName}", $"'{Shorten(timeText)}' is not {timeParser.Expected}.{hint}");
                continue;
            }
            var seriesId = SingleSeriesId;
            if (layout.SeriesIndex >= 0)
            {
                seriesId = parser[layout.SeriesIndex].Trim();
                if (seriesId.Length == 0)
                {
                    errors.Add($"line {line}, column {layout.Names[layout.SeriesIndex]}", "The series id is empty.");
                    continue;
                }
            }
            if (!seriesIndex.TryGetValue(seriesId, out var s))
            {
                seriesIndex[seriesId] = s = seriesIds.Count;
                seriesIds.Add(seriesId);
            }
            times.Add(time);
            lines.Add(line);
            seriesOf.Add(s);
            foreach (var column in columns) column.Add(parser[column.FileIndex]);
        }
        if (errors.Any) return IngestResult.Failed(errors.ToList());
        if (times.Count == 0) return IngestResult.Failed("file", "The file has a header but no data rows.");

        var lineOf = lines.ToArray();
        var typed = TypeColumns(columns, lineOf, errors);
        if (typed is null) return IngestResult.Failed(errors.ToList());

        var table = new ObservationTable
        {
            Times = times.ToArray(),
            TimesAreSteps = timeParser!.IsSteps,
            SeriesOf = seriesOf.ToArray(),
            SeriesIds = seriesIds,
            Columns = typed.Select(t => t.Info).ToArray(),
            Values = typed.Select(t => t.Values).ToArray(),
            TimeColumn = timeName,
            SeriesColumn = layout.SeriesIndex >= 0 ? layout.Names[layout.SeriesIndex] : null,
            Locate = (row, column) => column is null ? $"line {lineOf[row]}" : $"line {lineOf[row]}, column {column}",
            RejectExactDuplicates = rejectDuplicates,
        };
        var (frame, duplicates) = FrameAssembler.Assemble(table, frequency, Frequency.LeavesAnchorToStamps(options.Frequency), fill, limits.MaxHorizon, errors);
        return errors.Any ? new IngestResult(null, duplicates, errors.ToList()) : new IngestResult(frame, duplicates, []);
    }

    /// <summary>Decides each column's kind; non-numeric cells in a numeric column are errors.</summary>
    private static List<(ColumnInfo Info, double[] Values)>? TypeColumns(CsvColumnAccumulator[] columns, int[] lineOf, ErrorCollector errors)
    {
        var typed = new List<(ColumnInfo, double[])>(columns.Length);
        foreach (var column in columns)
        {
            if (column.IsCategorical)
            {
                if (!column.HasCategories)
                    errors.Add($"column {column.Name}", $"The column is not numeric and has more than {CsvColumnAccumulator.MaxCategories:N0} distinct values, too many for a categorical column.");
                else typed.Add(column.ToCategorical());
                continue;
            }
            foreach (var (row, text) in column.FirstNonNumeric)
                errors.Add($"line {lineOf[row]}, column {column.Name}",
                    $"'{Shorten(text)}' is not a number (the column is numeric: {column.NumericCells:N0} of {column.NumericCells + column.NonNumericCells:N0} filled cells are numbers).");
            if (column.NonNumericCells == 0) typed.Add(column.ToNumeric());
        }
        return errors.Any ? null : typed;
    }

    internal static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 60 ? text.TrimEnd('\r', '\n') : text[..57] + "...";
}
