using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// Quarterly, yearly, sub-hourly and business-day files upload with their dates (issue 17), the frequency is
/// inferred, the default season follows it, and forecasts continue the calendar.
/// </summary>
public sealed class CalendarFrequencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static MultipartFormDataContent Csv(string text, string? frequency = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(text, Encoding.UTF8, "text/csv"), "file", "upload.csv" },
            { new StringContent("calendar"), "name" },
        };
        if (frequency is not null) form.Add(new StringContent(frequency), "frequency");
        return form;
    }

    private static string File(IEnumerable<DateTime> times, Func<int, double> value, string format = "yyyy-MM-dd") =>
        "date,value\n" + string.Concat(times.Select((t, i) =>
            $"{t.ToString(format, CultureInfo.InvariantCulture)},{value(i).ToString(CultureInfo.InvariantCulture)}\n"));

    private static DateTime QuarterEnd(int k) // k quarters after 1960 Q1, stamped on the quarter's last day
    {
        var first = new DateTime(1960, 3, 1).AddMonths(3 * k);
        return new DateTime(first.Year, first.Month, DateTime.DaysInMonth(first.Year, first.Month));
    }

    private async Task<JsonElement> UploadAsync(HttpClient client, string csv, string? frequency = null)
    {
        var response = await client.PostAsync("/api/datasets", Csv(csv, frequency));
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload failed: {body}");
        return body;
    }

    /// <summary>Trains seasonal_naive with its default season on the whole series and forecasts from its end.</summary>
    private static async Task<JsonElement> SeasonalNaiveForecastAsync(HttpClient client, JsonElement dataset, int horizon)
    {
        var model = await client.TrainAsync(new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "seasonal_naive" } });
        var response = await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast", new { horizon });
        var forecast = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"forecast failed: {forecast}");
        return forecast.GetProperty("points");
    }

    private static string[] Stamps(JsonElement points) => points.EnumerateArray().Select(p => p.GetProperty("timestamp").GetString()!).ToArray();

    private static double[] Means(JsonElement points) =>
        points.EnumerateArray().Select(p => p.GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble()).ToArray();

    [Fact]
    public async Task A_quarter_end_file_is_quarterly_with_season_4_and_forecasts_continue_the_quarter_ends()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client, File(Enumerable.Range(0, 40).Select(QuarterEnd), i => 100 + 10 * (i % 4) + i));
        Assert.Equal("QE", dataset.GetProperty("frequency").GetString());
        Assert.Equal("1969-12-31", dataset.GetProperty("series")[0].GetProperty("end").GetString());

        var points = await SeasonalNaiveForecastAsync(client, dataset, 5);
        Assert.Equal(["1970-03-31", "1970-06-30", "1970-09-30", "1970-12-31", "1971-03-31"], Stamps(points));
        // Season 4 by default: each quarter repeats the same quarter of the last year.
        Assert.Equal([136, 147, 158, 169, 136], Means(points));
    }

    [Fact]
    public async Task A_quarter_start_file_named_Q_keeps_its_start_stamps()
    {
        var client = factory.CreateClient();
        var times = Enumerable.Range(0, 12).Select(k => new DateTime(2016, 1, 1).AddMonths(3 * k));
        var dataset = await UploadAsync(client, File(times, i => i), frequency: "Q");
        Assert.Equal("QS", dataset.GetProperty("frequency").GetString());
        var points = await SeasonalNaiveForecastAsync(client, dataset, 2);
        Assert.Equal(["2019-01-01", "2019-04-01"], Stamps(points));
    }

    [Fact]
    public async Task A_yearly_file_is_yearly_and_non_seasonal_by_default()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client, File(Enumerable.Range(1871, 100).Select(y => new DateTime(y, 1, 1)), i => 1000 + (i * 37 % 11)));
        Assert.Equal("YS", dataset.GetProperty("frequency").GetString());
        var points = await SeasonalNaiveForecastAsync(client, dataset, 3);
        Assert.Equal(["1971-01-01", "1972-01-01", "1973-01-01"], Stamps(points));
        var last = 1000 + (99 * 37 % 11);
        Assert.Equal([last, last, last], Means(points)); // season 1: the last value
    }

    [Fact]
    public async Task A_year_end_file_named_A_keeps_its_year_ends()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client, File(Enumerable.Range(2000, 20).Select(y => new DateTime(y, 12, 31)), i => i), frequency: "A");
        Assert.Equal("YE", dataset.GetProperty("frequency").GetString());
        var points = await SeasonalNaiveForecastAsync(client, dataset, 1);
        Assert.Equal(["2020-12-31"], Stamps(points));
    }

    [Fact]
    public async Task A_half_hourly_file_infers_30min_with_a_daily_season()
    {
        var client = factory.CreateClient();
        var times = Enumerable.Range(0, 48 * 3).Select(k => new DateTime(2019, 12, 29).AddMinutes(30 * k));
        var dataset = await UploadAsync(client, File(times, i => i % 48, "yyyy-MM-dd HH:mm"));
        Assert.Equal("30min", dataset.GetProperty("frequency").GetString());
        Assert.Equal("2019-12-31T23:30:00", dataset.GetProperty("series")[0].GetProperty("end").GetString());
        var points = await SeasonalNaiveForecastAsync(client, dataset, 3);
        Assert.Equal(["2020-01-01T00:00:00", "2020-01-01T00:30:00", "2020-01-01T01:00:00"], Stamps(points));
        Assert.Equal([0, 1, 2], Means(points)); // season 48: yesterday's same half hour
    }

    [Fact]
    public async Task A_business_day_file_forecasts_over_the_weekend_to_monday()
    {
        var client = factory.CreateClient();
        var times = new List<DateTime>();
        for (var day = new DateTime(2019, 4, 1); times.Count < 30; day = day.AddDays(1))
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) times.Add(day);
        var dataset = await UploadAsync(client, File(times, i => i % 5));
        Assert.Equal("B", dataset.GetProperty("frequency").GetString());
        Assert.Equal("2019-05-10", dataset.GetProperty("series")[0].GetProperty("end").GetString()); // a Friday
        var points = await SeasonalNaiveForecastAsync(client, dataset, 2);
        Assert.Equal(["2019-05-13", "2019-05-14"], Stamps(points));
    }

    [Fact]
    public async Task Ambiguous_or_irregular_dates_ask_for_the_frequency_and_name_the_codes()
    {
        var client = factory.CreateClient();
        var tie = await client.PostAsync("/api/datasets", Csv("date,value\n2019-01-01,1\n2019-04-01,2\n2020-04-01,3\n"));
        Assert.Equal(HttpStatusCode.BadRequest, tie.StatusCode);
        var text = await tie.Content.ReadAsStringAsync();
        Assert.Contains("\"frequency\"", text);
        Assert.Contains("QS (quarterly) and YS (yearly)", text);
        Assert.Contains("30min", text);
        Assert.Contains("QE", text);

        var irregular = await client.PostAsync("/api/datasets", Csv("date,value\n2019-01-01,1\n2019-01-04,2\n2019-01-09,3\n"));
        Assert.Equal(HttpStatusCode.BadRequest, irregular.StatusCode);
        Assert.Contains("pass frequency", await irregular.Content.ReadAsStringAsync());

        var unknown = await client.PostAsync("/api/datasets", Csv("date,value\n2019-01-01,1\n", frequency: "2h"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'2h' is not a frequency; use 1min", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_month_missing_from_a_monthly_file_is_listed_as_a_gap()
    {
        var client = factory.CreateClient();
        var times = Enumerable.Range(0, 24).Where(k => k != 7).Select(k => new DateTime(2019, 1, 31).AddMonths(k)).Select(t => new DateTime(t.Year, t.Month, DateTime.DaysInMonth(t.Year, t.Month)));
        var response = await client.PostAsync("/api/datasets", Csv(File(times, i => i)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Gap before 2019-09-30: expected 2019-08-31 after 2019-07-31", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_weekend_row_in_a_business_day_file_is_refused_with_the_reason()
    {
        var client = factory.CreateClient();
        var response = await client.PostAsync("/api/datasets", Csv("date,value\n2019-05-31,1\n2019-06-01,2\n2019-06-03,3\n", frequency: "B"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("it falls on a Saturday; business days run Monday to Friday", await response.Content.ReadAsStringAsync());
    }
}
