using System.Globalization;
using System.Text;
using CsvHelper;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets;

public sealed record SeriesData(string Id, IReadOnlyList<object> Timestamps, IReadOnlyDictionary<string, IReadOnlyList<object>> Columns);

/// <summary>A dataset's values (categorical cells as their category text), filtered by series, period and column.</summary>
public sealed record DatasetData(string Frequency, IReadOnlyList<SeriesData> Series)
{
    public static DatasetData From(DatasetFrame frame, IReadOnlyList<string>? columns, long? from, long? to)
    {
        var selected = columns is { Count: > 0 } ? frame.Columns.Where(c => columns.Contains(c.Name)).ToList() : frame.Columns.ToList();
        var series = new List<SeriesData>();
        foreach (var s in frame.Series)
        {
            var first = 0;
            var last = s.Length - 1;
            while (first <= last && from is not null && frame.Frequency.Add(s.Start, first) < from) first++;
            while (last >= first && to is not null && frame.Frequency.Add(s.Start, last) > to) last--;
            var count = Math.Max(0, last - first + 1);
            var timestamps = Enumerable.Range(first, count).Select(i => Forecasts.ForecastService.Timestamp(frame.Frequency, frame.Frequency.Add(s.Start, i))).ToList();
            var values = selected.ToDictionary(c => c.Name, c => (IReadOnlyList<object>)s[c.Name].Skip(first).Take(count)
                .Select(v => c.Kind == ColumnKind.Categorical ? c.Categories[(int)v] : (object)v).ToList());
            series.Add(new SeriesData(s.Id, timestamps, values));
        }
        return new DatasetData(frame.Frequency.Code, series);
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
            for (var i = 0; i < s.Timestamps.Count; i++)
            {
                csv.WriteField(s.Id);
                csv.WriteField(Convert.ToString(s.Timestamps[i], CultureInfo.InvariantCulture));
                foreach (var c in columns) csv.WriteField(Convert.ToString(s.Columns[c][i], CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        csv.Flush();
        return text.ToString();
    }
}
