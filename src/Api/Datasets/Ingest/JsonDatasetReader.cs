using System.Globalization;
using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Reads the JSON form of an upload into a <see cref="DatasetFrame"/> with the same rules as the CSV reader
/// (sorting, exact duplicates dropped, conflicts, gaps, missing values, fill policies). Errors name JSON paths
/// such as "series[0].columns.rail[12]".
/// </summary>
public static class JsonDatasetReader
{
    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Parses a request body, then reads it; malformed JSON is an error on "body".</summary>
    public static async Task<IngestResult> ReadAsync(Stream body, CancellationToken cancellationToken = default)
    {
        JsonDatasetUpload? upload;
        try
        {
            upload = await JsonSerializer.DeserializeAsync<JsonDatasetUpload>(body, WebOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            return IngestResult.Failed("body", $"The body is not valid JSON for a dataset: {e.Message}");
        }
        return upload is null ? IngestResult.Failed("body", "The body is empty.") : Read(upload);
    }

    /// <param name="upload">The body.</param>
    /// <param name="categoricalColumns">Columns to treat as categorical even when all cells are numbers (appends to a categorical column).</param>
    /// <param name="limits">Caps; MaxHorizon bounds a series' known-future rows (default: the configuration defaults).</param>
    /// <param name="rejectDuplicates">Refuse a timestamp given twice with the same values, rather than drop and count it.</param>
    public static IngestResult Read(JsonDatasetUpload upload, IReadOnlyCollection<string>? categoricalColumns = null, Limits? limits = null, bool rejectDuplicates = false)
    {
        var errors = new ErrorCollector();
        if (!FillPolicies.TryParse(upload.FillPolicy, out var fill))
            return IngestResult.Failed("fillPolicy", $"'{upload.FillPolicy}' is not a fill policy; use {FillPolicies.Names}.");
        Frequency? frequency = null;
        if (!string.IsNullOrWhiteSpace(upload.Frequency) && !Frequency.TryParse(upload.Frequency, out frequency))
            return IngestResult.Failed("frequency", $"'{upload.Frequency}' is not a frequency; use {Frequency.AcceptedCodes}.");
        if (upload.Series is not { Count: > 0 } seriesList)
            return IngestResult.Failed("series", "Give at least one series.");

        var columnNames = ColumnNames(seriesList, errors);
        if (columnNames is null) return IngestResult.Failed(errors.ToList());

        var anchorFromStamps = Frequency.LeavesAnchorToStamps(upload.Frequency);
        var steps = DecideSteps(seriesList, frequency);
        var timeParser = new TimestampParser(null, steps);
        var times = new List<long>();
        var seriesOf = new List<int>();
        var seriesIds = new List<string>();
        var firstRowOf = new List<int>();
        var usesStart = new List<bool>();
        for (var s = 0; s < seriesList.Count && !errors.IsFull; s++)
        {
            var series = seriesList[s];
            var path = $"series[{s}]";
            var id = SeriesId(series.Id, s, seriesList.Count, path, errors);
            if (id is not null && seriesIds.Contains(id)) errors.Add($"{path}.id", $"The id '{id}' is used by another series.");
            var length = series.Columns![columnNames[0]]?.Count ?? 0;
            if (length == 0) errors.Add($"{path}.columns.{columnNames[0]}", "The series has no values.");
            foreach (var name in columnNames)
                if ((series.Columns[name]?.Count ?? 0) != length)
                    errors.Add($"{path}.columns.{name}", $"{series.Columns[name]?.Count ?? 0} values, but {columnNames[0]} has {length}.");
            var rowTimes = Times(series, path, length, frequency, anchorFromStamps, timeParser, errors);
            seriesIds.Add(id ?? "");
            firstRowOf.Add(times.Count);
            usesStart.Add(series.Timestamps is null);
            if (rowTimes is null) continue;
            times.AddRange(rowTimes);
            for (var i = 0; i < rowTimes.Length; i++) seriesOf.Add(s);
        }
        if (errors.Any) return IngestResult.Failed(errors.ToList());
        if (times.Count == 0) return IngestResult.Failed("series", "The series hold no values.");

        var forced = new HashSet<string>(categoricalColumns ?? [], StringComparer.Ordinal);
        var columns = new List<ColumnInfo>();
        var values = new List<double[]>();
        foreach (var name in columnNames)
        {
            var (info, cells) = ReadColumn(seriesList, name, times.Count, forced.Contains(name), errors);
            columns.Add(info);
            values.Add(cells);
        }
        if (errors.Any) return IngestResult.Failed(errors.ToList());

        var rowStarts = firstRowOf.ToArray();
        string Locate(int row, string? column)
        {
            var s = Array.BinarySearch(rowStarts, row);
            if (s < 0) s = ~s - 1;
            while (s + 1 < rowStarts.Length && rowStarts[s + 1] == row) s++; // skip empty series
            var position = row - rowStarts[s];
            return column is null || column == "timestamps"
                ? usesStart[s] ? $"series[{s}] (position {position})" : $"series[{s}].timestamps[{position}]"
                : $"series[{s}].columns.{column}[{position}]";
        }
        var table = new ObservationTable
        {
            Times = times.ToArray(),
            TimesAreSteps = steps,
            SeriesOf = seriesOf.ToArray(),
            SeriesIds = seriesIds,
            Columns = columns,
            Values = values,
            TimeColumn = "timestamps",
            SeriesColumn = "id",
            Locate = Locate,
            RejectExactDuplicates = rejectDuplicates,
        };
        var (frame, duplicates) = FrameAssembler.Assemble(table, frequency, anchorFromStamps, fill, (limits ?? new Limits()).MaxHorizon, errors);
        return errors.Any ? new IngestResult(null, duplicates, errors.ToList()) : new IngestResult(frame, duplicates, []);
    }

    /// <summary>The column names of the first series; every other series must have the same.</summary>
    private static IReadOnlyList<string>? ColumnNames(IReadOnlyList<JsonSeriesUpload> seriesList, ErrorCollector errors)
    {
        if (seriesList[0]?.Columns is not { Count: > 0 } first)
        {
            errors.Add("series[0].columns", "Give at least one column of values.");
            return null;
        }
        var names = first.Keys.ToArray();
        for (var s = 1; s < seriesList.Count; s++)
        {
            var columns = seriesList[s]?.Columns;
            if (columns is null) { errors.Add($"series[{s}].columns", "Give the columns of values."); continue; }
            foreach (var name in names.Where(n => !columns.ContainsKey(n)))
                errors.Add($"series[{s}].columns", $"The column '{name}' is missing (series[0] has it).");
            foreach (var name in columns.Keys.Where(n => !first.ContainsKey(n)))
                errors.Add($"series[{s}].columns.{name}", "series[0] has no such column; every series needs the same columns.");
        }
        return errors.Any ? null : names;
    }

    /// <summary>Steps when the frequency says so, or (without one) when the first timestamp is an integer.</summary>
    private static bool DecideSteps(IReadOnlyList<JsonSeriesUpload> seriesList, Frequency? frequency)
    {
        if (frequency is not null) return frequency == Frequency.Steps;
        var first = seriesList[0].Timestamps is { Count: > 0 } ts ? ts[0] : seriesList[0].Start;
        return first is { } element && (element.ValueKind == JsonValueKind.Number
            || element.ValueKind == JsonValueKind.String && TimestampParser.LooksLikeStep(element.GetString()!));
    }

    private static string? SeriesId(JsonElement? id, int index, int count, string path, ErrorCollector errors)
    {
        switch (id?.ValueKind)
        {
            case JsonValueKind.String when id.Value.GetString() is { Length: > 0 } text: return text;
            case JsonValueKind.Number: return id.Value.GetRawText();
            case null or JsonValueKind.Null or JsonValueKind.Undefined when count == 1: return CsvDatasetReader.SingleSeriesId;
            default:
                errors.Add($"{path}.id", count == 1 ? "The id must be a string or a number." : "Each series of a panel needs an id (a string or a number).");
                return null;
        }
    }

    private static long[]? Times(JsonSeriesUpload series, string path, int length, Frequency? frequency, bool anchorFromStamps, TimestampParser parser, ErrorCollector errors)
    {
        if (series.Timestamps is not null && series.Start is not null)
        {
            errors.Add(path, "Give either start or timestamps, not both.");
            return null;
        }
        if (series.Timestamps is { } timestamps)
        {
            if (timestamps.Count != length)
            {
                errors.Add($"{path}.timestamps", $"{timestamps.Count} timestamps for {length} values.");
                return null;
            }
            var times = new long[length];
            for (var i = 0; i < length; i++)
                if (!TryParseTime(timestamps[i], parser, out times[i]))
                    errors.Add($"{path}.timestamps[{i}]", $"{Shown(timestamps[i])} is not {parser.Expected}.");
            return times;
        }
        if (series.Start is not { } startElement)
        {
            errors.Add(path, "Give start (the first timestamp) or timestamps.");
            return null;
        }
        if (!TryParseTime(startElement, parser, out var start))
        {
            errors.Add($"{path}.start", $"{Shown(startElement)} is not {parser.Expected}.");
            return null;
        }
        if (parser.IsSteps)
            return Enumerable.Range(0, length).Select(i => start + i).ToArray();
        if (frequency is null)
        {
            errors.Add("frequency", $"A series given by its start needs the frequency: {Frequency.AcceptedCodes}.");
            return null;
        }
        // Walk the calendar grid from start; keep DateTime ticks like the CSV path does. A time of day off the grid
        // is kept (ingest reports it); a day inside a month is not (the month's stamp is its first or last day).
        var startTime = new DateTime(start);
        var walk = anchorFromStamps ? frequency.AnchoredBy([startTime]) : frequency;
        var first = walk.ToOrdinal(startTime);
        var offset = (start - walk.ToDateTime(first).Ticks) % TimeSpan.TicksPerDay;
        return Enumerable.Range(0, length).Select(i => walk.ToDateTime(walk.Add(first, i)).Ticks + offset).ToArray();
    }

    private static bool TryParseTime(JsonElement element, TimestampParser parser, out long value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.String => parser.TryParse(element.GetString()!, out value),
            JsonValueKind.Number => parser.IsSteps && element.TryGetInt64(out value),
            _ => false,
        };
    }

    private static (ColumnInfo Info, double[] Values) ReadColumn(
        IReadOnlyList<JsonSeriesUpload> seriesList, string name, int rows, bool forcedCategorical, ErrorCollector errors)
    {
        var categorical = forcedCategorical || seriesList.Any(s => s.Columns![name].Any(e => e.ValueKind == JsonValueKind.String));
        var values = new double[rows];
        var texts = categorical ? new string?[rows] : null;
        var row = 0;
        for (var s = 0; s < seriesList.Count; s++)
        {
            var cells = seriesList[s].Columns![name];
            for (var i = 0; i < cells.Count; i++, row++)
            {
                var cell = cells[i];
                switch (cell.ValueKind)
                {
                    case JsonValueKind.Null:
                        values[row] = double.NaN;
                        break;
                    case JsonValueKind.Number when texts is not null:
                        texts[row] = cell.GetRawText();
                        break;
                    case JsonValueKind.Number when cell.TryGetDouble(out var number) && double.IsFinite(number):
                        values[row] = number;
                        break;
                    case JsonValueKind.String:
                        texts![row] = cell.GetString();
                        break;
                    default:
                        errors.Add($"series[{s}].columns.{name}[{i}]", $"{Shown(cell)} is not a number, a string or null.");
                        break;
                }
            }
        }
        if (texts is null) return (ColumnInfo.Numeric(name), values);
        var categories = texts.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var codes = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (double)x.i, StringComparer.Ordinal);
        for (var r = 0; r < rows; r++) values[r] = texts[r] is { } text ? codes[text] : double.NaN;
        return (new ColumnInfo(name, ColumnKind.Categorical, categories), values);
    }

    private static string Shown(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }
}
