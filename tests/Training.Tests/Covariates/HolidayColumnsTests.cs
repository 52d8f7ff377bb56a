using Forecasting.Domain;
using Forecasting.Training.Covariates;

namespace Forecasting.Training.Tests.Covariates;

/// <summary>The US calendar of the holiday library, and the holiday columns computed from it on known dates.</summary>
public sealed class HolidayColumnsTests
{
    private static readonly PublicHolidayCalendar Us = PublicHolidayCalendar.For("us")!;

    [Fact]
    public void The_us_calendar_has_its_federal_holidays_on_their_observed_days()
    {
        var days = Us.Between(new DateOnly(2021, 1, 1), new DateOnly(2024, 12, 31));
        Assert.Contains(new DateOnly(2024, 7, 4), days);
        Assert.Contains(new DateOnly(2024, 11, 28), days); // Thanksgiving, fourth Thursday
        Assert.Contains(new DateOnly(2024, 9, 2), days); // Labor Day, first Monday
        Assert.Contains(new DateOnly(2021, 12, 24), days); // Christmas 2021 fell on a Saturday: observed Friday
        Assert.DoesNotContain(new DateOnly(2021, 12, 25), days);
        Assert.Contains(new DateOnly(2021, 12, 31), days); // New Year 2022 fell on a Saturday: observed Friday, the year before
        Assert.DoesNotContain(new DateOnly(2024, 7, 5), days);
        Assert.Contains(new DateOnly(2022, 12, 26), days); // Christmas 2022 fell on a Sunday: observed Monday
        Assert.Equal(11, days.Count(d => d.Year == 2024));
        // CTA rail's test period (docs/benchmarks.md): Independence, Labor, Columbus, Veterans, Thanksgiving and Christmas Days.
        Assert.Equal(6, Us.Between(new DateOnly(2019, 6, 1), new DateOnly(2019, 12, 31)).Count);
    }

    [Fact]
    public void Countries_are_upper_case_iso_codes_the_library_serves_and_unknown_ones_have_no_calendar()
    {
        Assert.Contains("US", PublicHolidayCalendar.Countries);
        Assert.Contains("GB", PublicHolidayCalendar.Countries);
        Assert.Contains("PL", PublicHolidayCalendar.Countries);
        Assert.DoesNotContain("PO", PublicHolidayCalendar.Countries);
        Assert.Equal(PublicHolidayCalendar.Countries.Count, PublicHolidayCalendar.Countries.Distinct().Count());
        Assert.All(PublicHolidayCalendar.Countries, c => Assert.NotNull(PublicHolidayCalendar.For(c)));
        Assert.Null(PublicHolidayCalendar.For("XX"));
        Assert.Null(PublicHolidayCalendar.For("USA"));
        Assert.Null(PublicHolidayCalendar.For(null));
    }

    [Fact]
    public void Daily_steps_flag_the_holiday_and_measure_the_days_to_and_from_it_in_sevenths()
    {
        var frequency = Frequency.Daily;
        var start = frequency.ToOrdinal(new DateTime(2024, 7, 1));
        var series = HolidayColumns.AddTo(new Series("s", start, 10, new Dictionary<string, double[]>()), frequency, Us);
        double[] Column(ColumnInfo c) => series[c.Name];
        // 1 … 10 July 2024: the 4th is Independence Day; the one before is Juneteenth (19 June), the next Labor Day (2 September).
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0, 0, 0], Column(HolidayColumns.IsHoliday));
        Assert.Equal([3 / 7.0, 2 / 7.0, 1 / 7.0, 1, 1, 1, 1, 1, 1, 1], Column(HolidayColumns.DaysToNext));
        Assert.Equal([1, 1, 1, 1, 1 / 7.0, 2 / 7.0, 3 / 7.0, 4 / 7.0, 5 / 7.0, 6 / 7.0], Column(HolidayColumns.DaysSincePrevious));
    }

    [Fact]
    public void A_week_is_a_holiday_when_one_of_its_seven_days_is()
    {
        var frequency = Frequency.Weekly;
        var start = frequency.ToOrdinal(new DateTime(2024, 6, 24)); // Mondays: 24 June, 1 July, 8 July
        var series = HolidayColumns.AddTo(new Series("s", start, 3, new Dictionary<string, double[]>()), frequency, Us);
        Assert.Equal([0, 1, 0], series[HolidayColumns.IsHoliday.Name]);
        // The week of 24 June ends on Sunday the 30th, four days before the 4th; the week of 8 July starts four days after it.
        Assert.Equal(4 / 7.0, series[HolidayColumns.DaysToNext.Name][0]);
        Assert.Equal(4 / 7.0, series[HolidayColumns.DaysSincePrevious.Name][2]);
    }

    [Fact]
    public void Every_hour_of_a_holiday_is_a_holiday()
    {
        var frequency = Frequency.Hourly;
        var start = frequency.ToOrdinal(new DateTime(2024, 11, 27, 22, 0, 0));
        var series = HolidayColumns.AddTo(new Series("s", start, 28, new Dictionary<string, double[]>()), frequency, Us);
        Assert.Equal([0, 0, .. Enumerable.Repeat(1.0, 24), 0, 0], series[HolidayColumns.IsHoliday.Name]);
        Assert.Equal(1 / 7.0, series[HolidayColumns.DaysToNext.Name][0]);
        Assert.Equal(1 / 7.0, series[HolidayColumns.DaysSincePrevious.Name][27]);
    }

    [Fact]
    public void The_generated_columns_are_declared_on_the_frame_after_the_calendar_ones()
    {
        var frequency = Frequency.Daily;
        var frame = new DatasetFrame(frequency, [ColumnInfo.Numeric("value")],
            [new Series("s", frequency.ToOrdinal(new DateTime(2024, 7, 1)), 5, new Dictionary<string, double[]> { ["value"] = [1, 2, 3, 4, 5] })]);
        var generated = GeneratedColumns.AddTo(frame, [CalendarFeature.DayOfWeek], new HolidaySpec { Country = "US" });
        Assert.Equal(["value", "calendar.dayOfWeek", "holidays.isHoliday", "holidays.daysToNext", "holidays.daysSincePrevious"], generated.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 1, 0], generated.Series[0]["holidays.isHoliday"]);
        var spec = new TrainingRunSpec { KnownFuture = ["price"], Calendar = [CalendarFeature.DayOfWeek], Holidays = new HolidaySpec { Country = "US" } };
        Assert.Equal(["price", "calendar.dayOfWeek", "holidays.isHoliday", "holidays.daysToNext", "holidays.daysSincePrevious"], spec.EffectiveKnownFuture);
    }
}
