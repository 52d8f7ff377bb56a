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
        Assert.False(Frequency.TryParse("Q", out _));
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
}
