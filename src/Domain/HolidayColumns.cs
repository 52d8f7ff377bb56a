namespace Forecasting.Domain;

/// <summary>
/// The known-future columns a training request's <c>holidays</c> generates from each timestamp. A step covers the days
/// from its timestamp up to the next step's (one day for daily data, seven for weekly, part of one for hourly):
/// <list type="bullet">
/// <item><c>holidays.isHoliday</c>: 1 when a day of the step is an observed public holiday, else 0;</item>
/// <item><c>holidays.daysToNext</c>: days from the step's last day to the next holiday after it, capped at
/// <see cref="MaxDays"/> and divided by it (1/7 the day before a holiday, 1 with none within a week);</item>
/// <item><c>holidays.daysSincePrevious</c>: days from the last holiday before the step to its first day, capped and
/// scaled the same way.</item>
/// </list>
/// </summary>
public static class HolidayColumns
{
    public const string Prefix = "holidays.";

    /// <summary>The distance in days past which a holiday counts as far away.</summary>
    public const int MaxDays = 7;

    public static readonly ColumnInfo IsHoliday = ColumnInfo.Numeric(Prefix + "isHoliday");
    public static readonly ColumnInfo DaysToNext = ColumnInfo.Numeric(Prefix + "daysToNext");
    public static readonly ColumnInfo DaysSincePrevious = ColumnInfo.Numeric(Prefix + "daysSincePrevious");

    /// <summary>Whether a frequency's steps can tell holidays apart: weekly or finer, on calendar timestamps.</summary>
    public static bool Applies(Frequency frequency) => frequency.IsCalendar && frequency.StepsPerYear >= 52;

    /// <summary>The columns a request's holidays generate (none without holidays).</summary>
    public static IReadOnlyList<ColumnInfo> Columns(HolidaySpec? holidays) => holidays is null ? [] : [IsHoliday, DaysToNext, DaysSincePrevious];

    /// <summary>The series with the three holiday columns added, computed from its timestamps.</summary>
    public static Series AddTo(Series series, Frequency frequency, IHolidayCalendar calendar)
    {
        var columns = new Dictionary<string, double[]>(series.Columns, StringComparer.Ordinal);
        var (isHoliday, toNext, sincePrevious) = (new double[series.Length], new double[series.Length], new double[series.Length]);
        if (series.Length > 0)
        {
            var first = Day(frequency.ToDateTime(series.Start));
            var last = LastDay(frequency, frequency.Add(series.Start, series.Length - 1));
            var holidays = calendar.Between(first.AddDays(-MaxDays), last.AddDays(MaxDays));
            for (var t = 0; t < series.Length; t++)
            {
                var ordinal = frequency.Add(series.Start, t);
                var (from, to) = (Day(frequency.ToDateTime(ordinal)), LastDay(frequency, ordinal));
                var within = false;
                for (var day = from; day <= to && !within; day = day.AddDays(1)) within = holidays.Contains(day);
                isHoliday[t] = within ? 1 : 0;
                toNext[t] = Distance(holidays, to, 1) / (double)MaxDays;
                sincePrevious[t] = Distance(holidays, from, -1) / (double)MaxDays;
            }
        }
        columns[IsHoliday.Name] = isHoliday;
        columns[DaysToNext.Name] = toNext;
        columns[DaysSincePrevious.Name] = sincePrevious;
        return new Series(series.Id, series.Start, series.Length, columns);
    }

    /// <summary>Days from a day to the nearest holiday in a direction, at most <see cref="MaxDays"/>.</summary>
    private static int Distance(IReadOnlySet<DateOnly> holidays, DateOnly day, int direction)
    {
        var days = 1;
        while (days < MaxDays && !holidays.Contains(day.AddDays(direction * days))) days++;
        return days;
    }

    private static DateOnly Day(DateTime time) => DateOnly.FromDateTime(time);

    /// <summary>The last day a step covers: the day before the next step starts, or its own day when that starts the same day.</summary>
    private static DateOnly LastDay(Frequency frequency, long ordinal)
    {
        var (start, next) = (Day(frequency.ToDateTime(ordinal)), Day(frequency.ToDateTime(frequency.Add(ordinal, 1))));
        return next > start ? next.AddDays(-1) : start;
    }
}
