using System.Globalization;

namespace Forecasting.Domain;

/// <summary>
/// The known-future columns a training request's <c>calendar</c> generates from each timestamp, named
/// <c>calendar.&lt;feature&gt;</c>. Features with few, irregularly shaped values (day of week, hour, month, quarter) are
/// categorical, so the window layout one-hot encodes them and even a linear model can fit any weekly or daily
/// profile. Features with many values (day of month, day of year, week of year) are a sin/cos pair of their cycle
/// (<c>.sin</c>, <c>.cos</c>): two numbers in [−1, 1] where the end of a cycle lies next to its start.
/// </summary>
public static class CalendarColumns
{
    public const string Prefix = "calendar.";

    private sealed record Generated(ColumnInfo Column, Func<DateTime, double> Value);

    private static readonly string[] Hours = Enumerable.Range(0, 24).Select(h => h.ToString("00", CultureInfo.InvariantCulture)).ToArray();

    private static readonly IReadOnlyDictionary<CalendarFeature, Generated[]> ByFeature = new Dictionary<CalendarFeature, Generated[]>
    {
        [CalendarFeature.DayOfWeek] = [Categorical("dayOfWeek", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], t => ((int)t.DayOfWeek + 6) % 7)],
        [CalendarFeature.Month] = [Categorical("month", ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], t => t.Month - 1)],
        [CalendarFeature.Quarter] = [Categorical("quarter", ["Q1", "Q2", "Q3", "Q4"], t => (t.Month - 1) / 3)],
        [CalendarFeature.Hour] = [Categorical("hour", Hours, t => t.Hour)],
        [CalendarFeature.DayOfMonth] = Cyclic("dayOfMonth", t => (t.Day - 1, DateTime.DaysInMonth(t.Year, t.Month))),
        [CalendarFeature.DayOfYear] = Cyclic("dayOfYear", t => (t.DayOfYear - 1, DateTime.IsLeapYear(t.Year) ? 366 : 365)),
        [CalendarFeature.WeekOfYear] = Cyclic("weekOfYear", t => (ISOWeek.GetWeekOfYear(t) - 1, ISOWeek.GetWeeksInYear(ISOWeek.GetYear(t)))),
    };

    private static readonly IReadOnlyDictionary<string, Generated> ByName =
        ByFeature.Values.SelectMany(g => g).ToDictionary(g => g.Column.Name, StringComparer.Ordinal);

    /// <summary>
    /// Whether a feature takes more than one value on a frequency's timestamps: the feature's cycle must hold more than
    /// one step (hour needs sub-daily data, day of week daily or finer, the day features finer than monthly, month finer
    /// than quarterly, quarter finer than yearly); step-numbered data has no calendar.
    /// </summary>
    public static bool Varies(CalendarFeature feature, Frequency frequency) => frequency.IsCalendar && frequency.StepsPerYear > feature switch
    {
        CalendarFeature.Hour => 366,
        CalendarFeature.DayOfWeek => 53,
        CalendarFeature.DayOfMonth or CalendarFeature.DayOfYear or CalendarFeature.WeekOfYear => 12,
        CalendarFeature.Month => 4,
        CalendarFeature.Quarter => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(feature)),
    };

    /// <summary>The columns the features generate, in the request's order.</summary>
    public static IReadOnlyList<ColumnInfo> Columns(IReadOnlyList<CalendarFeature>? features) =>
        (features ?? []).Distinct().SelectMany(f => ByFeature[f]).Select(g => g.Column).ToList();

    public static bool IsCalendar(string column) => ByName.ContainsKey(column);

    /// <summary>A generated column's value at a time (a category code for the categorical ones).</summary>
    public static double Value(string column, DateTime time) => ByName[column].Value(time);

    /// <summary>The series with the features' columns added, computed from its timestamps.</summary>
    public static Series AddTo(Series series, Frequency frequency, IReadOnlyList<CalendarFeature>? features)
    {
        var generated = Columns(features);
        if (generated.Count == 0) return series;
        var columns = new Dictionary<string, double[]>(series.Columns, StringComparer.Ordinal);
        var times = new DateTime[series.Length];
        for (var t = 0; t < times.Length; t++) times[t] = frequency.ToDateTime(frequency.Add(series.Start, t));
        foreach (var column in generated)
        {
            var value = ByName[column.Name].Value;
            columns[column.Name] = Array.ConvertAll(times, time => value(time));
        }
        return new Series(series.Id, series.Start, series.Length, columns);
    }

    /// <summary>The frame with the features' columns declared and added to every series (not to its future rows, which forecasts compute).</summary>
    public static DatasetFrame AddTo(DatasetFrame frame, IReadOnlyList<CalendarFeature>? features)
    {
        var generated = Columns(features);
        if (generated.Count == 0) return frame;
        return frame with
        {
            Columns = [.. frame.Columns, .. generated],
            Series = frame.Series.Select(s => AddTo(s, frame.Frequency, features)).ToList(),
        };
    }

    private static Generated Categorical(string feature, IReadOnlyList<string> categories, Func<DateTime, int> code) =>
        new(new ColumnInfo(Prefix + feature, ColumnKind.Categorical, categories), t => code(t));

    private static Generated[] Cyclic(string feature, Func<DateTime, (int Position, int Length)> cycle) =>
    [
        new(ColumnInfo.Numeric($"{Prefix}{feature}.sin"), t => cycle(t) is var (p, n) ? Math.Sin(2 * Math.PI * p / n) : 0),
        new(ColumnInfo.Numeric($"{Prefix}{feature}.cos"), t => cycle(t) is var (p, n) ? Math.Cos(2 * Math.PI * p / n) : 0),
    ];
}
