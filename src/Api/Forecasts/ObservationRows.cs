using System.Globalization;
using System.Text.Json;
using Forecasting.Domain;

namespace Forecasting.Api.Forecasts;

/// <summary>
/// Turns posted rows (<c>{ "timestamp": …, "rail": …, "day_type": "W" }</c>) into series values,
/// naming the row and field of every problem.
/// </summary>
public static class ObservationRows
{
    /// <summary>
    /// The history to forecast from: stored values before the first posted row, then the rows, when the rows
    /// continue or overlap the stored series; the rows alone when they start after a gap.
    /// </summary>
    public static Series Splice(Series stored, DatasetFrame frame, IReadOnlyList<Dictionary<string, JsonElement>> rows,
        IReadOnlyList<string> columns, List<FieldError> errors)
    {
        var parsed = Parse(frame, rows.Select((row, i) => (i, row)).ToList(), columns, "observations", errors);
        if (parsed is null) return stored;
        var (start, values) = parsed.Value;
        var offset = frame.Frequency.IsAligned(stored.Start, start) ? frame.Frequency.StepsBetween(stored.Start, start) : -1;
        if (offset < 0 || offset > stored.Length)
            return new Series(stored.Id, start, values[columns[0]].Length, values);
        var keep = (int)offset;
        var length = keep + values[columns[0]].Length;
        var spliced = columns.ToDictionary(c => c, c =>
        {
            var merged = new double[length];
            stored[c].AsSpan(0, keep).CopyTo(merged);
            values[c].CopyTo(merged.AsSpan(keep));
            return merged;
        });
        return new Series(stored.Id, stored.Start, length, spliced);
    }

    /// <summary>The key naming a future row's series, as the request's own <c>series</c> field.</summary>
    public const string SeriesKey = "series";

    /// <summary>
    /// Posted known-future rows by series. A row names its series in <see cref="SeriesKey"/>; a row naming none belongs
    /// to <paramref name="single"/>, the one series asked for (there is none to default to when several are). Every
    /// named series must be one of <paramref name="selected"/>, and has at most <paramref name="maxRows"/> rows (the horizon cap).
    /// </summary>
    public static Dictionary<string, PostedFuture>? ParseFuture(DatasetFrame frame, IReadOnlyList<Dictionary<string, JsonElement>> rows,
        IReadOnlyList<string> known, string? single, IReadOnlySet<string> selected, int maxRows, List<FieldError> errors)
    {
        var before = errors.Count;
        var groups = new Dictionary<string, List<(int Index, Dictionary<string, JsonElement> Row)>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count && errors.Count - before < 20; i++)
        {
            var row = rows[i];
            string? id;
            if (row is null) id = single ?? ""; // reported by Parse
            else if (!row.TryGetValue(SeriesKey, out var key) || key.ValueKind == JsonValueKind.Null)
            {
                id = single;
                if (id is null)
                {
                    errors.Add(new FieldError($"future[{i}].{SeriesKey}", $"The forecast covers {selected.Count} series; name each future row's series in '{SeriesKey}'."));
                    continue;
                }
            }
            else if (key.ValueKind != JsonValueKind.String)
            {
                errors.Add(new FieldError($"future[{i}].{SeriesKey}", "A series id is a string."));
                continue;
            }
            else if (!selected.Contains(id = key.GetString()!))
            {
                errors.Add(new FieldError($"future[{i}].{SeriesKey}", $"Future rows for series '{Shorten(id)}', which this forecast does not cover (not a series of the model, or not among those asked for in 'series')."));
                continue;
            }
            if (!groups.TryGetValue(id, out var group)) groups[id] = group = [];
            group.Add((i, row!));
        }
        var parsed = new Dictionary<string, PostedFuture>(StringComparer.Ordinal);
        foreach (var (id, group) in groups)
        {
            if (group.Count > maxRows)
            {
                errors.Add(new FieldError($"future[{group[maxRows].Index}]", $"Series '{Shorten(id)}' has {group.Count} future rows; at most {maxRows} are accepted, the horizon cap (Limits:MaxHorizon)."));
                continue;
            }
            if (Parse(frame, group, known, "future", errors) is var (start, values))
                parsed[id] = new PostedFuture(start, group.Count, values, group[0].Index);
        }
        return errors.Count > before ? null : parsed;
    }

    /// <summary>Rows (with their index in the request's list, for errors) as consecutive steps from the first row's timestamp.</summary>
    private static (long Start, Dictionary<string, double[]> Values)? Parse(DatasetFrame frame, IReadOnlyList<(int Index, Dictionary<string, JsonElement> Row)> rows,
        IReadOnlyList<string> columns, string field, List<FieldError> errors)
    {
        var before = errors.Count;
        var values = columns.ToDictionary(c => c, _ => new double[rows.Count]);
        long start = 0, previous = 0;
        for (var r = 0; r < rows.Count && errors.Count - before < 20; r++)
        {
            var (i, row) = rows[r];
            if (row is null)
            {
                errors.Add(new FieldError($"{field}[{i}]", "A row is an object such as { \"timestamp\": \"2019-06-01\", \"rail\": 512345 }, not null."));
                continue;
            }
            if (!row.TryGetValue("timestamp", out var stamp) || !frame.Frequency.TryParsePoint(stamp.ValueKind switch
                {
                    JsonValueKind.Number => stamp.GetRawText(),
                    JsonValueKind.String => stamp.GetString(),
                    _ => null,
                }, out var point))
            {
                errors.Add(new FieldError($"{field}[{i}].timestamp", "Each row needs a 'timestamp' (ISO date, or step number)."));
                continue;
            }
            if (r == 0) start = point;
            else if (point != frame.Frequency.Add(previous, 1))
                errors.Add(new FieldError($"{field}[{i}].timestamp", $"Rows must be consecutive steps: expected {frame.Frequency.Format(frame.Frequency.Add(previous, 1))}, got {frame.Frequency.Format(point)}."));
            previous = point;
            foreach (var name in row.Keys.Where(k => k != "timestamp" && !(field == "future" && k == SeriesKey) && !columns.Contains(k)))
                errors.Add(new FieldError($"{field}[{i}].{name}", $"The model does not use column '{name}'; it reads {string.Join(", ", columns)}."));
            foreach (var column in columns)
            {
                if (!row.TryGetValue(column, out var cell) || cell.ValueKind == JsonValueKind.Null)
                {
                    errors.Add(new FieldError($"{field}[{i}].{column}", $"Missing value for '{column}'."));
                    continue;
                }
                var info = frame.Column(column)!;
                if (info.Kind == ColumnKind.Categorical)
                {
                    var text = cell.ValueKind == JsonValueKind.String ? cell.GetString()! : cell.GetRawText();
                    var code = IndexOf(info.Categories, text);
                    if (code < 0) errors.Add(new FieldError($"{field}[{i}].{column}", $"'{text}' is not a category of '{column}' ({string.Join(", ", info.Categories)})."));
                    else values[column][r] = code;
                }
                else if (cell.ValueKind == JsonValueKind.Number && cell.TryGetDouble(out var value) && double.IsFinite(value)) values[column][r] = value;
                else if (cell.ValueKind == JsonValueKind.String && double.TryParse(cell.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) values[column][r] = number;
                else errors.Add(new FieldError($"{field}[{i}].{column}", $"{Shorten(cell.GetRawText())} is not a finite number."));
            }
        }
        return errors.Count > before ? null : (start, values);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static int IndexOf(IReadOnlyList<string> categories, string value)
    {
        for (var i = 0; i < categories.Count; i++) if (categories[i] == value) return i;
        return -1;
    }
}
