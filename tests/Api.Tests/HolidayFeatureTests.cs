using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// holidays: known-future columns generated from the timestamps and a country's public holidays. A daily series that
/// drops from about 100 to 30 on each observed US federal holiday, forecast one day ahead from a 2-day window: the
/// window cannot see a holiday coming, the holiday columns can.
/// </summary>
public sealed class HolidayFeatureTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private static readonly DateTime Start = new(2021, 1, 1);
    private static readonly DateTime End = new(2023, 12, 31);

    // The observed US federal holidays of 2021-2023 (Christmas 2021 and New Year 2022 fell on Saturdays: observed the Fridays before).
    private static readonly HashSet<DateTime> Holidays = new[]
    {
        "2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-18", "2021-07-05", "2021-09-06", "2021-10-11", "2021-11-11", "2021-11-25", "2021-12-24", "2021-12-31",
        "2022-01-17", "2022-02-21", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-10-10", "2022-11-11", "2022-11-24", "2022-12-26",
        "2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04", "2023-10-09", "2023-11-10", "2023-11-23", "2023-12-25",
    }.Select(DateTime.Parse).ToHashSet();

    private static double Level(DateTime day) => Holidays.Contains(day) ? 30 : 100;

    private static async Task<string> UploadAsync(HttpClient client)
    {
        var random = new Random(11);
        var days = (int)(End - Start).TotalDays + 1;
        var values = Enumerable.Range(0, days).Select(t => Level(Start.AddDays(t)) + 4 * (random.NextDouble() - 0.5)).ToArray();
        return await TestDatasets.UploadSeriesAsync(client, "holiday-drops", "2021-01-01", values);
    }

    private static Dictionary<string, object> Request(string datasetId, string kind = "linear") => new()
    {
        ["datasetId"] = datasetId,
        ["targets"] = new[] { "value" },
        ["windowLength"] = 2,
        ["horizon"] = 1,
        ["split"] = new { trainFrom = "2021-01-01", trainTo = "2023-06-30", validFrom = "2023-07-01" },
        ["scaling"] = new { kind = "standard" },
        ["model"] = new { kind },
        ["training"] = new { epochs = 80, optimizer = "adam", learningRate = 0.05, patience = 15 },
    };

    private static double ValidationMae(JsonElement model) => model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();

    private static double Mean(JsonElement forecast) =>
        forecast.GetProperty("points")[0].GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble();

    [Fact]
    public async Task Us_holidays_let_a_short_window_linear_model_forecast_the_holiday_drops_without_future_rows()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        var plain = await client.TrainAsync(Request(dataset));
        var withHolidays = Request(dataset);
        withHolidays["holidays"] = new { country = "US" };
        var holidays = await client.TrainAsync(withHolidays);
        var (plainMae, holidayMae) = (ValidationMae(plain), ValidationMae(holidays));
        output.WriteLine($"validation MAE (2023-07..12, 6 holidays): linear, window 2: {plainMae:0.00}; with holidays {{country: US}}: {holidayMae:0.00}");
        Assert.True(holidayMae < 0.6 * plainMae, $"with holidays {holidayMae:0.00}, without {plainMae:0.00}");

        var features = holidays.GetProperty("details").GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Equal(["value", "next_holidays.isHoliday", "next_holidays.daysToNext", "next_holidays.daysSincePrevious"], features);

        // From origins inside the data, the day before a holiday and the holiday itself: computed from the timestamps alone.
        foreach (var day in new[] { new DateTime(2023, 11, 23), new DateTime(2023, 11, 24), new DateTime(2023, 12, 25), new DateTime(2023, 12, 26) })
        {
            var response = await client.PostAsJsonAsync($"/api/models/{holidays.Id()}/forecast", new { origin = day.AddDays(-1).ToString("yyyy-MM-dd") });
            var forecast = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, forecast.ToString());
            Assert.True(Math.Abs(Mean(forecast) - Level(day)) < 12, $"{day:yyyy-MM-dd}: forecast {Mean(forecast):0.0}, level {Level(day)}");
        }
        // Past the data, no future rows: New Year's Day 2024 is a holiday.
        var beyond = await (await client.PostAsJsonAsync($"/api/models/{holidays.Id()}/forecast", new { })).ReadJsonAsync();
        Assert.Equal("2024-01-01", beyond.GetProperty("points")[0].GetProperty("timestamp").GetString());
        Assert.True(Math.Abs(Mean(beyond) - 30) < 12, $"2024-01-01: forecast {Mean(beyond):0.0}");

        // Anomaly checks compute the holiday columns of the steps they judge as well: Christmas is no anomaly.
        var judged = await client.PostAsJsonAsync($"/api/models/{holidays.Id()}/anomalies", new { from = "2023-12-18" });
        var anomalies = await judged.ReadJsonAsync();
        Assert.True(judged.StatusCode == HttpStatusCode.OK, anomalies.ToString());
        var christmas = anomalies.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("timestamp").GetString() == "2023-12-25");
        Assert.True(Math.Abs(christmas.GetProperty("mean").GetDouble() - 30) < 12, christmas.ToString());
    }

    [Fact]
    public async Task A_backtest_with_holidays_computes_them_at_every_origin()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        object Backtest(object? holidays) => new
        {
            datasetId = dataset, targets = new[] { "value" }, holidays, windowLength = 2, horizon = 1,
            scaling = new { kind = "standard" }, model = new { kind = "linear" },
            training = new { epochs = 80, optimizer = "adam", learningRate = 0.05 },
            from = "2023-11-01", to = "2023-12-31",
        };
        var plain = (await client.BacktestAsync(Backtest(null))).GetProperty("metrics").GetProperty("mae").GetDouble();
        var holidays = (await client.BacktestAsync(Backtest(new { country = "US" }))).GetProperty("metrics").GetProperty("mae").GetDouble();
        output.WriteLine($"backtest MAE (2023-11..12, horizon 1): linear, window 2: {plain:0.00}; with holidays {{country: US}}: {holidays:0.00}");
        Assert.True(holidays < 0.6 * plain, $"with holidays {holidays:0.00}, without {plain:0.00}");
    }

    [Fact]
    public async Task An_unknown_country_a_subdivision_a_statistical_kind_and_monthly_or_step_numbered_data_are_refused()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        async Task<string> Refused(Dictionary<string, object> request)
        {
            var response = await client.PostAsJsonAsync("/api/training-runs", request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            output.WriteLine(body);
            return body;
        }

        var unknown = Request(dataset);
        unknown["holidays"] = new { country = "XX" };
        var body = await Refused(unknown);
        Assert.Contains("holidays.country", body);
        Assert.Contains("'XX'", body);
        Assert.Contains("US", body);

        var missing = Request(dataset);
        missing["holidays"] = new { };
        Assert.Contains("holidays.country", await Refused(missing));

        var subdivision = Request(dataset);
        subdivision["holidays"] = new { country = "US", subdivision = "NY" };
        body = await Refused(subdivision);
        Assert.Contains("holidays.subdivision", body);
        Assert.Contains("national", body);

        var statistical = Request(dataset, "naive");
        statistical.Remove("windowLength");
        statistical.Remove("scaling");
        statistical.Remove("training");
        statistical["holidays"] = new { country = "US" };
        body = await Refused(statistical);
        Assert.Contains("\"holidays\"", body);
        Assert.Contains("naive", body);

        foreach (var (frequency, start, expected) in new[] { ("steps", "0", "step numbers"), ("MS", "2020-01-01", "weekly or finer") })
        {
            var response = await client.PostAsJsonAsync("/api/datasets", new
            {
                name = frequency,
                frequency,
                series = new[] { new { id = "s1", start, columns = new Dictionary<string, object> { ["value"] = Enumerable.Range(0, 60).Select(t => (double)(t % 5)).ToArray() } } },
            });
            var other = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, other.ToString());
            var request = Request(other.Id());
            request["split"] = new { train = 0.8 };
            request["holidays"] = new { country = "US" };
            body = await Refused(request);
            Assert.Contains("\"holidays\"", body);
            Assert.Contains(expected, body);
        }
    }
}
