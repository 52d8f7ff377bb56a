using Forecasting.Domain;

namespace Forecasting.Domain.Tests;

public sealed class FrequencyTests
{
    [Fact]
    public void Ordinals_are_days_hours_months_or_the_step_itself()
    {
        var day = new DateTime(2019, 5, 31);
        Assert.Equal(DateOnly.FromDateTime(day).DayNumber, Frequency.Daily.ToOrdinal(day));
        Assert.Equal(DateOnly.FromDateTime(day).DayNumber, Frequency.Weekly.ToOrdinal(day));
        Assert.Equal(day.Ticks / TimeSpan.TicksPerHour + 13, Frequency.Hourly.ToOrdinal(day.AddHours(13)));
        Assert.Equal(2019 * 12 + 4, Frequency.Monthly.ToOrdinal(day));
        Assert.Equal(Frequency.Daily.ToOrdinal(day) + 1, Frequency.Daily.ToOrdinal(new DateTime(2019, 6, 1)));
        Assert.Equal(Frequency.Weekly.ToOrdinal(day) + 7, Frequency.Weekly.Add(Frequency.Weekly.ToOrdinal(day), 1));
        Assert.Equal(Frequency.Monthly.ToOrdinal(new DateTime(2020, 1, 1)), Frequency.Monthly.Add(Frequency.Monthly.ToOrdinal(new DateTime(2019, 12, 1)), 1));
        Assert.Throws<InvalidOperationException>(() => Frequency.Steps.ToOrdinal(day));
    }

    [Theory]
    [InlineData("D", "2019-05-31")]
    [InlineData("W", "2019-05-27")]
    [InlineData("H", "2019-05-31T13:00:00")]
    [InlineData("M", "2019-05-01")]
    [InlineData("steps", "42")]
    [InlineData("steps", "-3")]
    public void Format_and_parse_round_trip(string code, string text)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.True(frequency.TryParsePoint(text, out var ordinal));
        Assert.Equal(text, frequency.Format(ordinal));
        Assert.Equal(ordinal, frequency.IsCalendar ? frequency.ToOrdinal(frequency.ToDateTime(ordinal)) : ordinal);
    }

    [Theory]
    [InlineData("D", "31/05/2019")]
    [InlineData("D", "")]
    [InlineData("steps", "1.5")]
    [InlineData("steps", "2019-01-01")]
    public void Rejects_points_it_cannot_read(string code, string text)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.False(frequency.TryParsePoint(text, out _));
    }

    [Fact]
    public void Parses_codes_ignoring_case_and_blanks()
    {
        Assert.True(Frequency.TryParse(" d ", out var daily));
        Assert.Same(Frequency.Daily, daily);
        Assert.True(Frequency.TryParse("STEPS", out var steps));
        Assert.Same(Frequency.Steps, steps);
        Assert.False(Frequency.TryParse("7min", out _));
        Assert.False(Frequency.TryParse("2h", out _));
        Assert.False(Frequency.TryParse(null, out _));
    }

    [Fact]
    public void Infers_the_most_common_spacing()
    {
        static List<DateTime> Times(DateTime start, Func<DateTime, DateTime> next, int count)
        {
            var times = new List<DateTime> { start };
            while (times.Count < count) times.Add(next(times[^1]));
            return times;
        }
        var start = new DateTime(2019, 1, 1);
        Assert.Same(Frequency.Daily, Frequency.Infer(Times(start, t => t.AddDays(1), 10)));
        Assert.Same(Frequency.Hourly, Frequency.Infer(Times(start, t => t.AddHours(1), 10)));
        Assert.Same(Frequency.Weekly, Frequency.Infer(Times(start, t => t.AddDays(7), 10)));
        Assert.Same(Frequency.Monthly, Frequency.Infer(Times(start, t => t.AddMonths(1), 14)));
        // One gap among daily steps is still daily (ingest then reports the gap).
        var withGap = Times(start, t => t.AddDays(1), 10);
        withGap.RemoveAt(5);
        Assert.Same(Frequency.Daily, Frequency.Infer(withGap));
        Assert.Same(Frequency.Daily, Frequency.Infer([start]));
        Assert.Null(Frequency.Infer([start.AddHours(3)]));
        Assert.Null(Frequency.Infer(Times(start, t => t.AddDays(3), 5)));
        Assert.Null(Frequency.Infer([]));
    }

    [Fact]
    public void Steps_and_alignment_follow_the_stride()
    {
        var monday = Frequency.Weekly.ToOrdinal(new DateTime(2019, 1, 7));
        Assert.Equal(2, Frequency.Weekly.StepsBetween(monday, monday + 14));
        Assert.True(Frequency.Weekly.IsAligned(monday, monday + 14));
        Assert.False(Frequency.Weekly.IsAligned(monday, monday + 3));
        Assert.Equal(7, Frequency.Daily.DefaultSeason);
        Assert.Equal(24, Frequency.Hourly.DefaultSeason);
        Assert.Equal(12, Frequency.Monthly.DefaultSeason);
    }

    [Theory]
    [InlineData("30min", "30min")]
    [InlineData("30T", "30min")]
    [InlineData("15min", "15min")]
    [InlineData("5min", "5min")]
    [InlineData("10min", "10min")]
    [InlineData("min", "1min")]
    [InlineData("T", "1min")]
    [InlineData("h", "H")]
    [InlineData("1h", "H")]
    [InlineData("b", "B")]
    [InlineData("W-mon", "W-MON")]
    [InlineData("W-SUN", "W-SUN")]
    [InlineData("MS", "M")]
    [InlineData("ME", "ME")]
    [InlineData("Q", "QS")]
    [InlineData("QE", "QE")]
    [InlineData("A", "YS")]
    [InlineData("AS", "YS")]
    [InlineData("Y", "YS")]
    [InlineData("YE", "YE")]
    public void Reads_pandas_spellings(string code, string canonical)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.Equal(canonical, frequency.Code);
        Assert.True(Frequency.TryParse(canonical, out var again));
        Assert.Same(frequency, again);
    }

    [Fact]
    public void Every_code_fits_the_stored_column_and_is_unique()
    {
        Assert.All(Frequency.All, f => Assert.InRange(f.Code.Length, 1, 8));
        Assert.Equal(Frequency.All.Count, Frequency.All.Select(f => f.Code.ToUpperInvariant()).Distinct().Count());
        Assert.All(Frequency.All.Except(Frequency.AnchoredWeeks), f => Assert.Contains(f.Code, Frequency.AcceptedCodes));
        Assert.Equal(["W-MON", "W-TUE", "W-WED", "W-THU", "W-FRI", "W-SAT", "W-SUN"], Frequency.AnchoredWeeks.Select(w => w.Code));
    }

    [Theory]
    [InlineData("1min", 1440)]
    [InlineData("5min", 288)]
    [InlineData("15min", 96)]
    [InlineData("30min", 48)]
    [InlineData("H", 24)]
    [InlineData("D", 7)]
    [InlineData("B", 5)]
    [InlineData("W", 52)]
    [InlineData("W-FRI", 52)]
    [InlineData("M", 12)]
    [InlineData("ME", 12)]
    [InlineData("QS", 4)]
    [InlineData("QE", 4)]
    [InlineData("YS", 1)]
    [InlineData("YE", 1)]
    [InlineData("steps", 1)]
    public void Default_seasons_are_a_day_a_week_or_a_year(string code, int season)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.Equal(season, frequency.DefaultSeason);
        Assert.Equal(season, frequency.SeasonOf(null));
    }

    [Fact]
    public void Season_one_and_zero_both_mean_non_seasonal()
    {
        Assert.Equal(1, Frequency.Daily.SeasonOf(1));
        Assert.Equal(1, Frequency.Daily.SeasonOf(0));
        Assert.Equal(12, Frequency.Daily.SeasonOf(12));
        Assert.Equal(1, Frequency.Steps.SeasonOf(null));
    }

    [Theory]
    [InlineData("30min", "2019-05-31T13:30:00")]
    [InlineData("15min", "2019-05-31T23:45:00")]
    [InlineData("1min", "2019-05-31T00:01:00")]
    [InlineData("B", "2019-05-31")]
    [InlineData("B", "2019-06-03")]
    [InlineData("W-MON", "2019-05-27")]
    [InlineData("ME", "2019-05-31")]
    [InlineData("ME", "2019-02-28")]
    [InlineData("ME", "2020-02-29")]
    [InlineData("QS", "2019-04-01")]
    [InlineData("QE", "2019-06-30")]
    [InlineData("QE", "2019-03-31")]
    [InlineData("YS", "2019-01-01")]
    [InlineData("YE", "2019-12-31")]
    public void New_frequencies_round_trip(string code, string text)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.True(frequency.TryParsePoint(text, out var ordinal));
        Assert.Equal(text, frequency.Format(ordinal));
        Assert.Equal(ordinal, frequency.ToOrdinal(frequency.ToDateTime(ordinal)));
        Assert.Null(frequency.OffGridReason(frequency.ToDateTime(ordinal)));
    }

    [Theory]
    // Month ends continue as month ends, through February and leap years.
    [InlineData("ME", "2019-01-31", 1, "2019-02-28")]
    [InlineData("ME", "2020-01-31", 1, "2020-02-29")]
    [InlineData("ME", "2020-02-29", 12, "2021-02-28")]
    [InlineData("ME", "2019-12-31", -10, "2019-02-28")]
    [InlineData("M", "2019-12-01", 2, "2020-02-01")]
    // Quarters step by three months, start or end stamped, and keep a series' own phase.
    [InlineData("QS", "2019-10-01", 1, "2020-01-01")]
    [InlineData("QS", "2019-02-01", 1, "2019-05-01")]
    [InlineData("QE", "2019-12-31", 1, "2020-03-31")]
    [InlineData("QE", "2019-03-31", 1, "2019-06-30")]
    [InlineData("QE", "2019-09-30", 5, "2020-12-31")]
    [InlineData("YS", "2019-01-01", 3, "2022-01-01")]
    [InlineData("YE", "2019-12-31", 1, "2020-12-31")]
    [InlineData("YE", "2016-02-29", 1, "2017-02-28")]
    // Business days skip weekends both ways.
    [InlineData("B", "2019-05-31", 1, "2019-06-03")]
    [InlineData("B", "2019-06-03", -1, "2019-05-31")]
    [InlineData("B", "2019-05-29", 5, "2019-06-05")]
    [InlineData("B", "2019-05-30", 12, "2019-06-17")]
    [InlineData("B", "2020-02-28", 1, "2020-03-02")]
    [InlineData("B", "2019-12-31", 1, "2020-01-01")]
    [InlineData("W-SUN", "2019-12-29", 1, "2020-01-05")]
    [InlineData("30min", "2019-05-31T23:30:00", 1, "2019-06-01T00:00:00")]
    [InlineData("15min", "2019-12-31T23:45:00", 5, "2020-01-01T01:00:00")]
    [InlineData("H", "2019-12-31T23:00:00", 1, "2020-01-01T00:00:00")]
    public void Adding_steps_continues_the_calendar(string code, string from, int steps, string expected)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.True(frequency.TryParsePoint(from, out var start));
        var end = frequency.Add(start, steps);
        Assert.Equal(expected, frequency.Format(end));
        Assert.True(frequency.IsAligned(start, end));
        Assert.Equal(steps, frequency.StepsBetween(start, end));
    }

    [Fact]
    public void Business_days_count_only_weekdays()
    {
        var b = Frequency.BusinessDaily;
        Assert.True(b.TryParsePoint("2019-01-07", out var monday));
        Assert.True(b.TryParsePoint("2019-12-31", out var newYearsEve));
        Assert.Equal(256, b.StepsBetween(monday, newYearsEve)); // 2019 has 261 weekdays, 4 of them before 2019-01-07
        // A weekend date falls between Friday and Monday: not a point of the grid, but ordered between them.
        Assert.True(b.TryParsePoint("2019-06-01", out var saturday));
        Assert.True(b.TryParsePoint("2019-06-02", out var sunday));
        Assert.True(b.TryParsePoint("2019-05-31", out var friday));
        Assert.True(b.TryParsePoint("2019-06-03", out var nextMonday));
        Assert.Equal(saturday, sunday);
        Assert.True(friday < saturday && saturday < nextMonday);
        Assert.False(b.IsAligned(friday, saturday));
        Assert.True(b.IsAligned(friday, nextMonday));
        Assert.Equal("2019-06-01", b.Format(saturday));
        Assert.Contains("Saturday", b.OffGridReason(new DateTime(2019, 6, 1)));
        Assert.Contains("Sunday", b.OffGridReason(new DateTime(2019, 6, 2)));
        Assert.Null(b.OffGridReason(new DateTime(2019, 6, 3)));
        // Day number 0 is a Monday: the first ordinals are Monday..Friday of 0001-01-01's week.
        Assert.Equal(0, b.ToOrdinal(new DateTime(1, 1, 1)));
        Assert.Equal(8, b.ToOrdinal(new DateTime(1, 1, 5)));
        Assert.Equal(10, b.ToOrdinal(new DateTime(1, 1, 8)));
    }

    [Fact]
    public void Off_grid_stamps_say_why()
    {
        Assert.Contains("time of day", Frequency.Daily.OffGridReason(new DateTime(2019, 1, 1, 13, 0, 0)));
        Assert.Contains("time of day", Frequency.Hourly.OffGridReason(new DateTime(2019, 1, 1, 13, 30, 0)));
        Assert.Contains("seconds", Frequency.MinuteFrequencies[0].OffGridReason(new DateTime(2019, 1, 1, 13, 30, 10)));
        Assert.Null(Frequency.Hourly.OffGridReason(new DateTime(2019, 1, 1, 13, 0, 0)));
        Assert.True(Frequency.TryParse("W-MON", out var mondays));
        Assert.Contains("Tuesday", mondays.OffGridReason(new DateTime(2019, 1, 8)));
        Assert.Null(mondays.OffGridReason(new DateTime(2019, 1, 7)));
        Assert.Null(Frequency.Weekly.OffGridReason(new DateTime(2019, 1, 8)));
        // A date inside a month names the month, as M always allowed.
        Assert.Null(Frequency.Monthly.OffGridReason(new DateTime(2019, 1, 15)));
        Assert.Equal("2019-01-31", Frequency.MonthEnd.Format(Frequency.MonthEnd.ToOrdinal(new DateTime(2019, 1, 15))));
    }

    [Fact]
    public void Stored_codes_keep_their_ordinals()
    {
        // Datasets stored before the new frequencies hold these ordinals; they must read back the same points.
        var day = new DateTime(2019, 5, 31);
        Assert.Equal(737209, Frequency.Daily.ToOrdinal(day));
        Assert.Equal(737209L * 24 + 13, Frequency.Hourly.ToOrdinal(day.AddHours(13)));
        Assert.Equal(2019 * 12 + 4, Frequency.Monthly.ToOrdinal(day));
        Assert.Equal("2019-05-01", Frequency.Monthly.Format(2019 * 12 + 4));
        Assert.Equal("2019-05-31", Frequency.Weekly.Format(737209));
        Assert.Equal((7, 1), (Frequency.Weekly.Stride, Frequency.Monthly.Stride));
    }

    [Fact]
    public void Months_quarters_and_years_take_their_stamp_from_the_data_when_the_code_leaves_it_open()
    {
        Assert.True(Frequency.LeavesAnchorToStamps("M"));
        Assert.True(Frequency.LeavesAnchorToStamps(" q "));
        Assert.True(Frequency.LeavesAnchorToStamps("A"));
        Assert.False(Frequency.LeavesAnchorToStamps("MS"));
        Assert.False(Frequency.LeavesAnchorToStamps("QE"));
        Assert.False(Frequency.LeavesAnchorToStamps(null));
        Assert.Same(Frequency.MonthEnd, Frequency.Monthly.AnchoredBy([new(2019, 1, 31), new(2019, 2, 28)]));
        Assert.Same(Frequency.Monthly, Frequency.Monthly.AnchoredBy([new(2019, 1, 31), new(2019, 2, 1)]));
        Assert.Same(Frequency.QuarterEnd, Frequency.QuarterStart.AnchoredBy([new(2019, 3, 31), new(2019, 6, 30)]));
        Assert.Same(Frequency.YearEnd, Frequency.YearStart.AnchoredBy([new(2019, 12, 31)]));
        Assert.Same(Frequency.YearStart, Frequency.YearEnd.AnchoredBy([new(2019, 1, 1)]));
        Assert.Same(Frequency.Daily, Frequency.Daily.AnchoredBy([new(2019, 1, 31)]));
    }

    private static List<DateTime> Series(DateTime start, Func<DateTime, DateTime> next, int count)
    {
        var times = new List<DateTime> { start };
        while (times.Count < count) times.Add(next(times[^1]));
        return times;
    }

    private static DateTime MonthEndAfter(DateTime t, int months)
    {
        var m = new DateTime(t.Year, t.Month, 1).AddMonths(months);
        return new DateTime(m.Year, m.Month, DateTime.DaysInMonth(m.Year, m.Month));
    }

    [Fact]
    public void Infers_every_common_frequency()
    {
        var start = new DateTime(2019, 1, 1);
        string? Code(List<DateTime> times) => Frequency.Infer(times)?.Code;
        Assert.Equal("1min", Code(Series(start, t => t.AddMinutes(1), 100)));
        Assert.Equal("5min", Code(Series(start.AddMinutes(5), t => t.AddMinutes(5), 100)));
        Assert.Equal("10min", Code(Series(start, t => t.AddMinutes(10), 100)));
        Assert.Equal("15min", Code(Series(start, t => t.AddMinutes(15), 100)));
        Assert.Equal("30min", Code(Series(start.AddMinutes(15), t => t.AddMinutes(30), 100)));
        Assert.Equal("H", Code(Series(start, t => t.AddHours(1), 100)));
        Assert.Equal("D", Code(Series(start, t => t.AddDays(1), 30)));
        Assert.Equal("B", Code(Series(new DateTime(2019, 1, 2), t => t.AddDays(t.DayOfWeek == DayOfWeek.Friday ? 3 : 1), 30)));
        Assert.Equal("W", Code(Series(new DateTime(2019, 1, 6), t => t.AddDays(7), 30)));
        Assert.Equal("M", Code(Series(start, t => t.AddMonths(1), 24)));
        Assert.Equal("ME", Code(Series(new DateTime(2019, 1, 31), t => MonthEndAfter(t, 1), 24)));
        Assert.Equal("QS", Code(Series(start, t => t.AddMonths(3), 12)));
        Assert.Equal("QS", Code(Series(new DateTime(2019, 2, 1), t => t.AddMonths(3), 12)));
        Assert.Equal("QE", Code(Series(new DateTime(2019, 3, 31), t => MonthEndAfter(t, 3), 12)));
        Assert.Equal("YS", Code(Series(new DateTime(1871, 1, 1), t => t.AddYears(1), 100)));
        Assert.Equal("YE", Code(Series(new DateTime(1871, 12, 31), t => t.AddYears(1), 100)));
    }

    [Fact]
    public void Inference_does_not_misfire()
    {
        var start = new DateTime(2019, 1, 1);
        // One missing month is still monthly (ingest lists the gap); one missing quarter still quarterly.
        var months = Series(start, t => t.AddMonths(1), 24);
        months.RemoveAt(7);
        Assert.Same(Frequency.Monthly, Frequency.Infer(months));
        var quarters = Series(start, t => t.AddMonths(3), 12);
        quarters.RemoveAt(4);
        Assert.Same(Frequency.QuarterStart, Frequency.Infer(quarters));
        // Daily data with weekends, one weekend missing: still daily.
        var days = Series(new DateTime(2019, 1, 7), t => t.AddDays(1), 28);
        days.RemoveAll(t => t.Day is 12 or 13);
        Assert.Same(Frequency.Daily, Frequency.Infer(days));
        // Weekdays without a weekend between them read as days, not business days.
        Assert.Same(Frequency.Daily, Frequency.Infer(Series(new DateTime(2019, 1, 7), t => t.AddDays(1), 4)));
        // A business-day series with a holiday is business days (ingest lists the holiday as a gap).
        var business = Series(new DateTime(2019, 1, 2), t => t.AddDays(t.DayOfWeek == DayOfWeek.Friday ? 3 : 1), 30);
        business.RemoveAt(10);
        Assert.Same(Frequency.BusinessDaily, Frequency.Infer(business));
        // 30-minute data with one missing half hour stays 30-minute.
        var halfHours = Series(start, t => t.AddMinutes(30), 48);
        halfHours.RemoveAt(20);
        Assert.Equal("30min", Frequency.Infer(halfHours)!.Code);
    }

    [Fact]
    public void Ties_and_irregular_spacings_are_left_to_the_caller()
    {
        var start = new DateTime(2019, 1, 1);
        // Two gaps, one quarter and one year: which is it?
        var tie = Frequency.Candidates([start, start.AddMonths(3), start.AddMonths(15)]);
        Assert.Equal(["QS", "YS"], tie.Select(f => f.Code));
        Assert.Null(Frequency.Infer([start, start.AddMonths(3), start.AddMonths(15)]));
        Assert.Empty(Frequency.Candidates(Series(start, t => t.AddDays(3), 5)));
        Assert.Empty(Frequency.Candidates(Series(start, t => t.AddMinutes(7), 5)));
        Assert.Empty(Frequency.Candidates(Series(start, t => t.AddMonths(2), 5)));
        Assert.Empty(Frequency.Candidates(Series(new DateTime(2019, 1, 15), t => t.AddMonths(1), 5)));
    }
}
