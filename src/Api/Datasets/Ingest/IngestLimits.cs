using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>The caps on what one upload may store: columns, and the length of column names, series ids and category labels.</summary>
public static class IngestLimits
{
    public static IReadOnlyList<FieldError> Check(DatasetFrame frame, Limits limits)
    {
        var errors = new List<FieldError>();
        if (frame.Columns.Count > limits.MaxColumns)
            errors.Add(new FieldError("columns", $"The upload has {frame.Columns.Count} value columns; at most {limits.MaxColumns} are accepted (Limits:MaxColumns)."));
        string Label(string text) => text.Length <= 40 ? text : text[..40] + "…";
        string TooLong(int length) => $"{length} characters, above the cap of {limits.MaxLabelLength} (Limits:MaxLabelLength).";
        foreach (var column in frame.Columns.Take(limits.MaxColumns))
        {
            if (column.Name.Length > limits.MaxLabelLength) errors.Add(new FieldError("columns", $"The column name '{Label(column.Name)}' has {TooLong(column.Name.Length)}"));
            var category = column.Categories.FirstOrDefault(c => c.Length > limits.MaxLabelLength);
            if (category is not null) errors.Add(new FieldError(column.Name, $"The category label '{Label(category)}' has {TooLong(category.Length)}"));
        }
        var series = frame.Series.FirstOrDefault(s => s.Id.Length > limits.MaxLabelLength);
        if (series is not null) errors.Add(new FieldError("series", $"The series id '{Label(series.Id)}' has {TooLong(series.Id.Length)}"));
        return errors;
    }
}
