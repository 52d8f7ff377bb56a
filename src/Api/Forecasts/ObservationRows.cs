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
        var parsed = Parse(frame, rows, columns, "observations", errors);
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

    /// <summary>Known-future rows for the <paramref name="horizon"/> steps after <paramref name="history"/>.</summary>
    public static Series? Future(Series history, DatasetFrame frame, IReadOnlyList<Dictionary<string, JsonElement>> rows,
        IReadOnlyList<string> known, int horizon, List<FieldError> errors)
    {
        var parsed = Parse(frame, rows, known, "future", errors);
        if (parsed is null) return null;
        var (start, values) = parsed.Value;
        var expected = frame.Frequency.Add(history.Start, history.Length);
        if (start != expected)
        {
            errors.Add(new FieldError("future[0].timestamp", $"The future rows must start the step after the origin, at {frame.Frequency.Format(expected)}."));
            return null;
        }
        if (values[known[0]].Length < horizon)
        {
            errors.Add(new FieldError("future", $"{horizon} future rows are needed (one per forecast step); {values[known[0]].Length} were given."));
            return null;
        }
        return new Series(history.Id, start, horizon, known.ToDictionary(c => c, c => values[c][..horizon]));
    }

    private static (long Start, Dictionary<string, double[]> Values)? Parse(DatasetFrame frame, IReadOnlyList<Dictionary<string, JsonElement>> rows,
        IReadOnlyList<string> columns, string field, List<FieldError> errors)
    {
        var before = errors.Count;
        var values = columns.ToDictionary(c => c, _ => new double[rows.Count]);
        long start = 0, previous = 0;
        for (var i = 0; i < rows.Count && errors.Count - before < 20; i++)
        {
            var row = rows[i];
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
            if (i == 0) start = point;
            else if (point != frame.Frequency.Add(previous, 1))
                errors.Add(new FieldError($"{field}[{i}].timestamp", $"Rows must be consecutive steps: expected {frame.Frequency.Format(frame.Frequency.Add(previous, 1))}, got {frame.Frequency.Format(point)}."));
            previous = point;
            foreach (var name in row.Keys.Where(k => k != "timestamp" && !columns.Contains(k)))
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
                    else values[column][i] = code;
                }
                else if (cell.ValueKind == JsonValueKind.Number && cell.TryGetDouble(out var value) && double.IsFinite(value)) values[column][i] = value;
                else if (cell.ValueKind == JsonValueKind.String && double.TryParse(cell.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) values[column][i] = number;
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
