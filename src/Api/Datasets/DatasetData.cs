using System.Globalization;
using System.Text;
using CsvHelper;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets;

/// <summary>One series' values; <see cref="Future"/>: its known-future rows in the period, when it has any.</summary>
public sealed record SeriesData(string Id, IReadOnlyList<object> Timestamps, IReadOnlyDictionary<string, IReadOnlyList<object>> Columns,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] SeriesFutureData? Future = null);

/// <summary>
/// A dataset's values (categorical cells as their category text), filtered by series, period and column; the known-future
/// rows apart (as CSV: after each series' observations, with the targets empty, as they are uploaded).
/// </summary>
public sealed record DatasetData(string Frequency, IReadOnlyList<SeriesData> Series)
{
    public static DatasetData From(DatasetFrame frame, IReadOnlyList<string>? columns, long? from, long? to)
    {
        var selected = columns is { Count: > 0 } ? frame.Columns.Where(c => columns.Contains(c.Name)).ToList() : frame.Columns.ToList();
        var series = new List<SeriesData>();
        foreach (var s in frame.Series)
        {
            var (timestamps, values) = Rows(frame.Frequency, s, selected, from, to);
            SeriesFutureData? future = null;
            if (frame.FutureOf(s.Id) is { } ahead && Rows(frame.Frequency, ahead, selected.Where(c => ahead.Columns.ContainsKey(c.Name)).ToList(), from, to) is ({ Count: > 0 } stamps, var known))
                future = new SeriesFutureData(stamps, known);
            series.Add(new SeriesData(s.Id, timestamps, values, future));
        }
        return new DatasetData(frame.Frequency.Code, series);
    }

    private static (List<object> Timestamps, Dictionary<string, IReadOnlyList<object>> Values) Rows(Frequency frequency, Series s, IReadOnlyList<ColumnInfo> columns, long? from, long? to)
    {
        var first = 0;
        var last = s.Length - 1;
        while (first <= last && from is not null && frequency.Add(s.Start, first) < from) first++;
        while (last >= first && to is not null && frequency.Add(s.Start, last) > to) last--;
        var count = Math.Max(0, last - first + 1);
        var timestamps = Enumerable.Range(first, count).Select(i => Forecasts.ForecastService.Timestamp(frequency, frequency.Add(s.Start, i))).ToList();
        var values = columns.ToDictionary(c => c.Name, c => (IReadOnlyList<object>)s[c.Name].Skip(first).Take(count)
            .Select(v => c.Kind == ColumnKind.Categorical ? c.Categories[(int)v] : (object)v).ToList());
        return (timestamps, values);
    }

    /// <summary>Long format: series, timestamp, then one column per selected column.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        using var csv = new CsvWriter(new StringWriter(text), CultureInfo.InvariantCulture);
        var columns = Series.FirstOrDefault()?.Columns.Keys.ToList() ?? [];
        csv.WriteField("series");
        csv.WriteField("timestamp");
        foreach (var c in columns) csv.WriteField(c);
        csv.NextRecord();
        foreach (var s in Series)
        {
            for (var i = 0; i < s.Timestamps.Count; i++)
            {
                csv.WriteField(s.Id);
                csv.WriteField(Convert.ToString(s.Timestamps[i], CultureInfo.InvariantCulture));
                foreach (var c in columns) csv.WriteField(Convert.ToString(s.Columns[c][i], CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
            for (var i = 0; i < (s.Future?.Timestamps.Count ?? 0); i++)
            {
                csv.WriteField(s.Id);
                csv.WriteField(Convert.ToString(s.Future!.Timestamps[i], CultureInfo.InvariantCulture));
                foreach (var c in columns)
                    csv.WriteField(s.Future.Columns.TryGetValue(c, out var known) ? Convert.ToString(known[i], CultureInfo.InvariantCulture) : "");
                csv.NextRecord();
            }
        }
        csv.Flush();
        return text.ToString();
    }
}
