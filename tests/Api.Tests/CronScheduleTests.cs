using Forecasting.Api.Schedules;

namespace Forecasting.Api.Tests;

/// <summary>The cron forms schedules accept, and the older Quartz form read as Quartz read it.</summary>
public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("0 3 * * *", "0 3 * * *")]                 // standard, 5 fields
    [InlineData("30 0 3 * * *", "30 0 3 * * *")]           // seconds first
    [InlineData("0 0 3 * * ?", "0 0 3 * * ?")]             // stored Quartz form: every day at 03:00
    [InlineData("0 0 3 ? * 2", "0 0 3 ? * 1")]             // Quartz Monday (1 = Sunday) is cron's 1
    [InlineData("0 0 3 ? * 2-6", "0 0 3 ? * 1-5")]         // Quartz Monday..Friday
    [InlineData("0 0 3 ? * 6#3", "0 0 3 ? * 5#3")]         // third Friday: the count after # stays
    [InlineData("0 0 3 ? * 1/2", "0 0 3 ? * 0/2")]         // the step after / stays
    [InlineData("0 0 3 ? * MON-FRI *", "0 0 3 ? * MON-FRI")] // Quartz's optional year, when *
    public void Accepted_forms_convert_to_the_engines_form(string cron, string expected)
    {
        Assert.True(CronSchedule.TryParse(cron, out var expression, out var problem), problem);
        Assert.Equal(expected, expression);
    }

    [Fact]
    public void A_Quartz_weekday_fires_on_the_same_day_as_before()
    {
        var utc = TimeZoneInfo.Utc;
        var saturday = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        // Quartz "2" is Monday: the next firing after Saturday noon is Monday 30 November, 03:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero), CronSchedule.NextFire("0 0 3 ? * 2", utc, saturday));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero), CronSchedule.NextFire("0 3 * * 1", utc, saturday));
    }

    [Theory]
    [InlineData("* * * *", "4 fields")]
    [InlineData("0 0 3 * * ? 2030", "year")]
    [InlineData("61 * * * *", "not a valid cron expression")]
    public void Bad_expressions_say_what_is_wrong_in_words(string cron, string expected)
    {
        Assert.False(CronSchedule.TryParse(cron, out _, out var problem));
        Assert.Contains(expected, problem);
        Assert.Contains("5 fields", problem);
    }
}
