using Forecasting.Domain;

namespace Forecasting.Domain.Tests;

public sealed class CalendarColumnsTests
{
    private static readonly DateTime Monday = new(2024, 1, 1);

    [Fact]
    public void Day_of_week_month_quarter_and_hour_are_category_codes_from_Monday_January_Q1_and_midnight()
    {
        Assert.Equal(0, CalendarColumns.Value("calendar.dayOfWeek", Monday));
        Assert.Equal(6, CalendarColumns.Value("calendar.dayOfWeek", new DateTime(2023, 12, 31)));
        Assert.Equal(4, CalendarColumns.Value("calendar.dayOfWeek", new DateTime(2019, 6, 7)));
        Assert.Equal(1, CalendarColumns.Value("calendar.month", new DateTime(2024, 2, 29)));
        Assert.Equal(3, CalendarColumns.Value("calendar.quarter", new DateTime(2024, 11, 30)));
        Assert.Equal(13, CalendarColumns.Value("calendar.hour", new DateTime(2024, 3, 5, 13, 30, 0)));
        var columns = CalendarColumns.Columns([CalendarFeature.DayOfWeek, CalendarFeature.Month]);
        Assert.Equal(["calendar.dayOfWeek", "calendar.month"], columns.Select(c => c.Name));
        Assert.All(columns, c => Assert.Equal(ColumnKind.Categorical, c.Kind));
        Assert.Equal(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], columns[0].Categories);
    }

    [Fact]
    public void Cyclic_features_are_a_sin_cos_pair_of_their_own_cycle()
    {
        // 2024 is a leap year: 31 December is position 365 of 366.
        var end = new DateTime(2024, 12, 31);
        Assert.Equal(Math.Sin(2 * Math.PI * 365 / 366), CalendarColumns.Value("calendar.dayOfYear.sin", end), 12);
        Assert.Equal(Math.Cos(2 * Math.PI * 365 / 366), CalendarColumns.Value("calendar.dayOfYear.cos", end), 12);
        // The first day of a cycle is angle 0.
        Assert.Equal(0, CalendarColumns.Value("calendar.dayOfMonth.sin", new DateTime(2023, 2, 1)), 12);
        Assert.Equal(1, CalendarColumns.Value("calendar.dayOfMonth.cos", new DateTime(2023, 2, 1)), 12);
        // 15 February 2023: position 14 of a 28-day month, half a turn.
        Assert.Equal(-1, CalendarColumns.Value("calendar.dayOfMonth.cos", new DateTime(2023, 2, 15)), 12);
        // 3 January 2021 lies in ISO week 53 of 2020, a 53-week year.
        Assert.Equal(Math.Sin(2 * Math.PI * 52 / 53), CalendarColumns.Value("calendar.weekOfYear.sin", new DateTime(2021, 1, 3)), 12);
        Assert.Equal(["calendar.weekOfYear.sin", "calendar.weekOfYear.cos"], CalendarColumns.Columns([CalendarFeature.WeekOfYear]).Select(c => c.Name));
    }

    [Fact]
    public void Columns_are_added_to_a_series_from_its_timestamps()
    {
        var daily = Frequency.Daily;
        var series = new Series("s", daily.ToOrdinal(new DateTime(2023, 12, 30)), 4, new Dictionary<string, double[]> { ["y"] = [1, 2, 3, 4] });
        var added = CalendarColumns.AddTo(series, daily, [CalendarFeature.DayOfWeek]);
        Assert.Equal([5, 6, 0, 1], added["calendar.dayOfWeek"]);
        Assert.Equal([1, 2, 3, 4], added["y"]);
    }

    [Theory]
    [InlineData(CalendarFeature.Hour, "H", true)]
    [InlineData(CalendarFeature.Hour, "D", false)]
    [InlineData(CalendarFeature.DayOfWeek, "D", true)]
    [InlineData(CalendarFeature.DayOfWeek, "B", true)]
    [InlineData(CalendarFeature.DayOfWeek, "W", false)]
    [InlineData(CalendarFeature.WeekOfYear, "W", true)]
    [InlineData(CalendarFeature.DayOfMonth, "M", false)]
    [InlineData(CalendarFeature.Month, "M", true)]
    [InlineData(CalendarFeature.Month, "QS", false)]
    [InlineData(CalendarFeature.Quarter, "QS", true)]
    [InlineData(CalendarFeature.Quarter, "YS", false)]
    [InlineData(CalendarFeature.Month, "steps", false)]
    public void A_feature_varies_only_on_frequencies_finer_than_its_cycle(CalendarFeature feature, string code, bool varies)
    {
        Assert.True(Frequency.TryParse(code, out var frequency));
        Assert.Equal(varies, CalendarColumns.Varies(feature, frequency));
    }
}
