using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// An upload's <c>bounds</c>: <c>{ "rides": { "lower": 0 } }</c>, the values each named numeric column can take. Every
/// observation must lie within them (at upload and at each append), and runs on such a column as a target serve
/// forecasts clipped to them (<see cref="TrainingRunSpec.WithDeclaredBounds"/>).
/// </summary>
public static class ColumnBounds
{
    /// <summary>Reads the CSV form's <c>bounds</c> field, a JSON object; null when absent.</summary>
    public static IReadOnlyDictionary<string, ForecastBounds>? ParseFormField(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, ForecastBounds>>(text, ApiJson.Requests);
        }
        catch (JsonException e)
        {
            var (_, message) = JsonErrors.Describe(e);
            errors.Add(new FieldError("bounds", $"bounds is a JSON object of columns, e.g. {{\"rides\": {{\"lower\": 0}}}}: {message}"));
            return null;
        }
    }

    /// <summary>The frame with the bounds declared on its columns, or the problems with them (nothing declared then).</summary>
    public static DatasetFrame Declare(DatasetFrame frame, IReadOnlyDictionary<string, ForecastBounds>? declared, List<FieldError> errors)
    {
        if (declared is null or { Count: 0 }) return frame;
        var before = errors.Count;
        foreach (var (name, bounds) in declared)
        {
            var column = frame.Column(name);
            if (column is null) errors.Add(new FieldError($"bounds.{name}", $"There is no column '{name}'; the columns are {string.Join(", ", frame.Columns.Select(c => c.Name))}."));
            else if (column.Kind != ColumnKind.Numeric) errors.Add(new FieldError($"bounds.{name}", $"'{name}' is categorical; bounds apply to numeric columns."));
            else if (bounds is null || bounds.Lower is null && bounds.Upper is null) errors.Add(new FieldError($"bounds.{name}", "Give lower, upper or both, e.g. { \"lower\": 0 }."));
            else if (bounds is { Lower: { } lower, Upper: { } upper } && !(lower < upper))
                errors.Add(new FieldError($"bounds.{name}", $"lower ({lower}) must be less than upper ({upper})."));
        }
        if (errors.Count > before) return frame;
        var columns = frame.Columns.Select(c => declared.TryGetValue(c.Name, out var b) ? c with { Bounds = b } : c).ToList();
        errors.AddRange(Outside(frame, columns));
        return errors.Count > before ? frame : frame with { Columns = columns };
    }

    /// <summary>The first observation of each series outside its column's declared bounds, named by series, timestamp and column.</summary>
    public static IEnumerable<FieldError> Outside(DatasetFrame frame, IReadOnlyList<ColumnInfo> columns)
    {
        foreach (var column in columns.Where(c => c.Bounds is not null))
        {
            var bounds = column.Bounds!;
            foreach (var series in frame.Series)
            {
                if (!series.Columns.TryGetValue(column.Name, out var values)) continue;
                var i = Array.FindIndex(values, v => !double.IsNaN(v) && bounds.Clip(v) != v);
                if (i < 0) continue;
                var side = bounds.Lower is { } lower && values[i] < lower ? $"below its lower bound {lower}" : $"above its upper bound {bounds.Upper}";
                yield return new FieldError($"series {series.Id}, {frame.Frequency.Format(frame.Frequency.Add(series.Start, i))}, column {column.Name}",
                    $"{values[i]} is {side}, which the dataset declares for '{column.Name}'.");
            }
        }
    }
}
