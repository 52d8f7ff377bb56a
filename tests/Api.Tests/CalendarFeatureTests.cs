using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// calendar: known-future columns generated from the timestamps. A daily series whose level is set by the day of the
/// week, forecast one day ahead from a 2-day window: the window alone cannot tell the weekday, the calendar can.
/// </summary>
public sealed class CalendarFeatureTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int Days = 280;
    private static readonly double[] Profile = [100, 140, 80, 160, 60, 20, 40]; // Monday … Sunday
    private static readonly DateTime Start = new(2024, 1, 1); // a Monday

    private static async Task<string> UploadAsync(HttpClient client)
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, Days).Select(t => Profile[t % 7] + 4 * (random.NextDouble() - 0.5)).ToArray();
        return await TestDatasets.UploadSeriesAsync(client, "weekday-levels", "2024-01-01", values);
    }

    private static Dictionary<string, object> Request(string datasetId, string kind = "linear") => new()
    {
        ["datasetId"] = datasetId,
        ["targets"] = new[] { "value" },
        ["windowLength"] = 2,
        ["horizon"] = 1,
        ["split"] = new { trainFrom = "2024-01-01", trainTo = "2024-08-04", validFrom = "2024-08-05" },
        ["scaling"] = new { kind = "standard" },
        ["model"] = new { kind },
        ["training"] = new { epochs = 80, optimizer = "adam", learningRate = 0.05, patience = 15 },
    };

    private static double ValidationMae(JsonElement model) => model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();

    [Fact]
    public async Task Day_of_week_features_let_a_short_window_linear_model_forecast_the_weekly_levels_without_future_rows()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        var plain = await client.TrainAsync(Request(dataset));
        var withCalendar = Request(dataset);
        withCalendar["calendar"] = new[] { "dayOfWeek" };
        var calendar = await client.TrainAsync(withCalendar);
        var (plainMae, calendarMae) = (ValidationMae(plain), ValidationMae(calendar));
        output.WriteLine($"validation MAE: linear, window 2: {plainMae:0.00}; with calendar [dayOfWeek]: {calendarMae:0.00}");
        Assert.True(calendarMae < 0.5 * plainMae, $"with calendar {calendarMae:0.00}, without {plainMae:0.00}");
        Assert.True(calendarMae < 8, $"with calendar {calendarMae:0.00}");

        var features = calendar.GetProperty("details").GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Equal(["value", .. new[] { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" }.Select(d => $"next_calendar.dayOfWeek_{d}")], features);

        // No future rows: the weekdays of the forecast steps are computed from their timestamps.
        var response = await client.PostAsJsonAsync($"/api/models/{calendar.Id()}/forecast", new { });
        var forecast = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, forecast.ToString());
        var point = forecast.GetProperty("points")[0];
        var day = Start.AddDays(Days);
        Assert.Equal(day.ToString("yyyy-MM-dd"), point.GetProperty("timestamp").GetString());
        var mean = point.GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble();
        Assert.True(Math.Abs(mean - Profile[Days % 7]) < 15, $"{day:ddd}: forecast {mean:0.0}, level {Profile[Days % 7]}");
        // From an origin inside the data, each weekday's level.
        for (var t = 250; t < 257; t++)
        {
            var inside = await (await client.PostAsJsonAsync($"/api/models/{calendar.Id()}/forecast", new { origin = Start.AddDays(t - 1).ToString("yyyy-MM-dd") })).ReadJsonAsync();
            var m = inside.GetProperty("points")[0].GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble();
            Assert.True(Math.Abs(m - Profile[t % 7]) < 15, $"{Start.AddDays(t):ddd}: forecast {m:0.0}, level {Profile[t % 7]}");
        }

        // Anomaly checks compute the features of the steps they judge as well.
        var judged = await client.PostAsJsonAsync($"/api/models/{calendar.Id()}/anomalies", new { from = Start.AddDays(Days - 14).ToString("yyyy-MM-dd") });
        var anomalies = await judged.ReadJsonAsync();
        Assert.True(judged.StatusCode == HttpStatusCode.OK, anomalies.ToString());
        var points = anomalies.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(14, points.Count);
        Assert.All(points, p => Assert.True(Math.Abs(p.GetProperty("mean").GetDouble() - p.GetProperty("actual").GetDouble()) < 15, p.ToString()));

        // A model with only calendar features takes no future rows.
        var posted = await client.PostAsJsonAsync($"/api/models/{calendar.Id()}/forecast", new { future = new[] { new { timestamp = day.ToString("yyyy-MM-dd") } } });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("\"future\"", await posted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_backtest_with_calendar_features_computes_them_at_every_origin()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        object Backtest(string[]? calendar) => new
        {
            datasetId = dataset, targets = new[] { "value" }, calendar, windowLength = 2, horizon = 3,
            scaling = new { kind = "standard" }, model = new { kind = "linear" },
            training = new { epochs = 80, optimizer = "adam", learningRate = 0.05 },
            from = Start.AddDays(Days - 28).ToString("yyyy-MM-dd"), to = Start.AddDays(Days - 1).ToString("yyyy-MM-dd"),
        };
        var plain = (await client.BacktestAsync(Backtest(null))).GetProperty("metrics").GetProperty("mae").GetDouble();
        var calendar = (await client.BacktestAsync(Backtest(["dayOfWeek"]))).GetProperty("metrics").GetProperty("mae").GetDouble();
        output.WriteLine($"backtest MAE (last 28 days, horizon 3): linear, window 2: {plain:0.00}; with calendar [dayOfWeek]: {calendar:0.00}");
        Assert.True(calendar < 0.5 * plain && calendar < 8, $"with calendar {calendar:0.00}, without {plain:0.00}");
    }

    [Fact]
    public async Task A_feature_the_frequency_cannot_vary_a_repeat_an_unknown_name_and_a_statistical_kind_are_refused()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        async Task<string> Refused(Dictionary<string, object> request)
        {
            var response = await client.PostAsJsonAsync("/api/training-runs", request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            return body;
        }

        var hour = Request(dataset);
        hour["calendar"] = new[] { "dayOfWeek", "hour" };
        var body = await Refused(hour);
        output.WriteLine(body);
        Assert.Contains("calendar[1]", body);
        Assert.Contains("daily", body);

        var twice = Request(dataset);
        twice["calendar"] = new[] { "month", "month" };
        Assert.Contains("calendar[1]", await Refused(twice));

        var unknown = Request(dataset);
        unknown["calendar"] = new[] { "fortnight" };
        body = await Refused(unknown);
        output.WriteLine(body);
        Assert.Contains("calendar[0]", body);

        var statistical = Request(dataset, "naive");
        statistical.Remove("windowLength");
        statistical.Remove("scaling");
        statistical.Remove("training");
        statistical["calendar"] = new[] { "dayOfWeek" };
        body = await Refused(statistical);
        Assert.Contains("\"calendar\"", body);
        Assert.Contains("naive", body);
    }

    [Fact]
    public async Task Step_numbered_data_has_no_calendar()
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "steps",
            frequency = "steps",
            series = new[] { new { id = "s1", start = "0", columns = new Dictionary<string, object> { ["value"] = Enumerable.Range(0, 60).Select(t => (double)(t % 5)).ToArray() } } },
        });
        var dataset = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, dataset.ToString());
        var request = Request(dataset.Id());
        request["split"] = new { train = 0.8 };
        request["calendar"] = new[] { "dayOfWeek" };
        var refused = await client.PostAsJsonAsync("/api/training-runs", request);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("calendar[0]", body);
        Assert.Contains("step numbers", body);
    }
}
