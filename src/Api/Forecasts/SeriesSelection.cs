using System.Text.Json;
using Forecasting.Domain;

namespace Forecasting.Api.Forecasts;

/// <summary>The <c>series</c> field of requests about a model's data: one id, a list of ids, or absent for all of the model's series.</summary>
public static class SeriesSelection
{
    /// <summary>
    /// The series asked for, in the order asked (absent: the model's, in the dataset's order), and whether one was asked
    /// for by its id (answered as one result rather than a list). Unknown ids are field errors.
    /// </summary>
    public static (List<Series> Selected, bool Single) Select(JsonElement? series, DatasetFrame frame, TrainingRunSpec spec, List<FieldError> errors)
    {
        var candidates = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series.ToList();
        var byId = candidates.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var selected = new List<Series>();
        var single = false;
        switch (series)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                selected.AddRange(candidates);
                single = candidates.Count == 1;
                break;
            case { ValueKind: JsonValueKind.String } one:
                single = true;
                if (byId.TryGetValue(one.GetString()!, out var found)) selected.Add(found);
                else errors.Add(new FieldError("series", $"The model was not trained on series '{one.GetString()}'."));
                break;
            case { ValueKind: JsonValueKind.Array } list:
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) errors.Add(new FieldError($"series[{i}]", "Series ids are strings."));
                    else if (byId.TryGetValue(item.GetString()!, out var s)) selected.Add(s);
                    else if (errors.Count < 20) errors.Add(new FieldError($"series[{i}]", $"The model was not trained on series '{item.GetString()}'."));
                    i++;
                }
                if (i == 0) errors.Add(new FieldError("series", "Name at least one series, or leave series out for all of them."));
                break;
            default:
                errors.Add(new FieldError("series", "series is a series id or a list of ids."));
                break;
        }
        return (selected, single);
    }
}
