using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// <c>sarima</c> with known-future regressors through HTTP: a numeric promo and a categorical kind (one-hot, the most
/// common level dropped) in a series whose level they shift; trained, described, forecast with the dataset's future rows
/// or posted ones, explained (each regressor's contribution), backtested; calendar and holiday columns; the 400s.
/// </summary>
public sealed class SarimaxApiTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int Days = 160, Future = 7;

    private static string Day(int t) => new DateTime(2021, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static (double[] Y, int[] Promo, string[] Kind) Data(int length)
    {
        var random = new Random(7);
        var promo = new int[length];
        var kind = new string[length];
        var y = new double[length];
        var noise = 0.0;
        for (var t = 0; t < length; t++)
        {
            promo[t] = random.NextDouble() < 0.3 ? 1 : 0;
            var u = random.NextDouble();
            kind[t] = u < 0.6 ? "A" : u < 0.85 ? "B" : "C";
            noise = 0.5 * noise + 3 * (random.NextDouble() - 0.5);
            y[t] = 100 + 30 * promo[t] + (kind[t] == "B" ? 25 : kind[t] == "C" ? -20 : 0) + 10 * Math.Sin(2 * Math.PI * t / 7) + noise;
        }
        return (y, promo, kind);
    }

    /// <summary>series,date,y,promo,kind with <paramref name="future"/> rows after the observations (y empty).</summary>
    private static async Task<string> UploadAsync(HttpClient client, int future, string name)
    {
        var (y, promo, kind) = Data(Days + future);
        var csv = new StringBuilder("series,date,y,promo,kind\n");
        for (var t = 0; t < Days + future; t++)
            csv.Append("s0,").Append(Day(t)).Append(',').Append(t < Days ? y[t].ToString("R", CultureInfo.InvariantCulture) : "")
                .Append(',').Append(promo[t]).Append(',').Append(kind[t]).Append('\n');
        using var form = new MultipartFormDataContent();
        var file = new StringContent(csv.ToString());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "sarimax.csv");
        form.Add(new StringContent(name), "name");
        form.Add(new StringContent("series"), "seriesColumn");
        form.Add(new StringContent("date"), "timeColumn");
        var response = await client.PostAsync("/api/datasets", form);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.Id();
    }

    private static object Model => new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } };

    private static double[] Means(JsonElement forecast) =>
        forecast.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("y").GetProperty("mean").GetDouble()).ToArray();

    [Fact]
    public async Task Sarima_with_known_future_regressors_reports_their_coefficients_and_forecasts_with_future_rows()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, Future, "sarimax");
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo", "kind" }, horizon = Future,
            split = new { trainFrom = Day(0), trainTo = Day(129), validFrom = Day(130) }, model = Model,
        });
        // ar.L1, ma.S.L7, sigma2 and three regressors: promo, kind=B and kind=C (A, the most common kind, is the reference).
        Assert.Equal(6, model.GetProperty("parameters").GetInt64());
        var regression = model.GetProperty("details").GetProperty("regression");
        Assert.Equal(["promo", "kind=B", "kind=C"], regression.GetProperty("regressors").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("A", regression.GetProperty("referenceLevels").GetProperty("kind").GetString());
        var coefficients = regression.GetProperty("fits")[0].GetProperty("coefficients").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => (Value: c.GetProperty("value").GetDouble(), Error: c.GetProperty("standardError").GetDouble()));
        foreach (var (name, truth) in new[] { ("promo", 30.0), ("kind=B", 25.0), ("kind=C", -20.0) })
        {
            var (value, error) = coefficients[name];
            Assert.True(error > 0 && Math.Abs(value - truth) < 4 * error + 1, $"{name}: {value:F2} ± {error:F2}, truth {truth}");
        }
        var validMae = model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();
        Assert.True(validMae < 5, $"validation MAE {validMae:F2}: the regressors explain the level shifts (noise about 1)");

        var modelId = model.Id();
        // No future rows posted: the dataset's future rows give the regressors.
        var stored = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = Future });
        var storedForecast = await stored.ReadJsonAsync();
        Assert.True(stored.StatusCode == HttpStatusCode.OK, storedForecast.ToString());
        Assert.Equal(Day(Days), storedForecast.GetProperty("points")[0].GetProperty("timestamp").GetString());

        // The same rows posted give the same forecast; switching one step's promo on or off moves that step by its coefficient only.
        var (_, promo, kind) = Data(Days + Future);
        object Rows(Func<int, int> promoAt) => Enumerable.Range(Days, Future)
            .Select(t => new Dictionary<string, object> { ["timestamp"] = Day(t), ["promo"] = promoAt(t), ["kind"] = kind[t] }).ToArray();
        var posted = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = Future, future = Rows(t => promo[t]) })).ReadJsonAsync();
        Assert.Equal(Means(storedForecast), Means(posted));
        var flipped = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast",
            new { horizon = Future, future = Rows(t => t == Days + 2 ? 1 - promo[t] : promo[t]) })).ReadJsonAsync();
        for (var k = 0; k < Future; k++)
        {
            var expected = k == 2 ? (1 - 2 * promo[Days + 2]) * coefficients["promo"].Value : 0;
            Assert.Equal(expected, Means(flipped)[k] - Means(posted)[k], 1e-6);
        }

        // explain: each regressor's part of the mean, coefficient × value, per step.
        var explained = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = Future, explain = true })).ReadJsonAsync();
        var points = explained.GetProperty("points").EnumerateArray().ToList();
        output.WriteLine($"regression: {regression}");
        output.WriteLine($"explained, first point: {points[0]}");
        for (var k = 0; k < Future; k++)
        {
            var parts = points[k].GetProperty("values").GetProperty("y").GetProperty("contributions");
            Assert.Equal(coefficients["promo"].Value * promo[Days + k], parts.GetProperty("promo").GetDouble(), 1e-9);
            Assert.Equal(kind[Days + k] == "B" ? coefficients["kind=B"].Value : 0, parts.GetProperty("kind=B").GetDouble(), 1e-9);
            Assert.Equal(kind[Days + k] == "C" ? coefficients["kind=C"].Value : 0, parts.GetProperty("kind=C").GetDouble(), 1e-9);
        }
        Assert.False(storedForecast.GetProperty("points")[0].GetProperty("values").GetProperty("y").TryGetProperty("contributions", out _));
    }

    [Fact]
    public async Task A_forecast_without_future_regressor_values_is_a_400_naming_the_first_missing_step_and_column()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, 2, "sarimax-short-future");
        var modelId = (await client.TrainAsync(new
        {
            datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo", "kind" }, horizon = 3,
            split = new { trainFrom = Day(0), trainTo = Day(Days - 1) }, model = Model,
        })).Id();
        var response = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = 3 });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("the first missing is 'promo' at " + Day(Days + 2), text);
    }

    [Fact]
    public async Task Sarima_takes_calendar_and_holiday_columns_and_backtests_with_known_future_regressors()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, 0, "sarimax-calendar");
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "y" }, calendar = new[] { "month" }, holidays = new { country = "US" }, horizon = 3,
            split = new { trainFrom = Day(0), trainTo = Day(Days - 1) }, model = Model,
        });
        var names = model.GetProperty("details").GetProperty("regression").GetProperty("regressors").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains("holidays.isHoliday", names);
        Assert.Contains(names, n => n.StartsWith("calendar.month=", StringComparison.Ordinal) || n.StartsWith("month", StringComparison.Ordinal));
        // The generated columns are computed for the forecast steps: no future rows needed.
        var forecast = await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { horizon = 3 });
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, await forecast.Content.ReadAsStringAsync());

        var backtest = await client.BacktestAsync(new
        {
            datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo", "kind" }, model = Model,
            trainFrom = Day(0), from = Day(140), to = Day(Days - 1), horizon = 1, refitEvery = 5,
        });
        var mae = backtest.GetProperty("metrics").GetProperty("mae").GetDouble();
        var plain = await client.BacktestAsync(new
        {
            datasetId, targets = new[] { "y" }, model = Model, trainFrom = Day(0), from = Day(140), to = Day(Days - 1), horizon = 1, refitEvery = 5,
        });
        var plainMae = plain.GetProperty("metrics").GetProperty("mae").GetDouble();
        Assert.True(mae < plainMae / 3, $"backtest MAE with the regressors {mae:F2}, without {plainMae:F2}");
    }

    [Fact]
    public async Task Backtest_calibrated_intervals_refit_with_the_regressors()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, Future, "sarimax-calibration");
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo", "kind" }, horizon = 3,
            split = new { trainFrom = Day(0), trainTo = Day(129), validFrom = Day(130) }, model = Model,
            intervals = new { calibration = "backtest", windows = 5 },
        });
        var calibration = model.GetProperty("metrics").GetProperty("calibration");
        Assert.Equal("backtest", calibration.GetProperty("source").GetString());
        Assert.Equal(15, calibration.GetProperty("errors").GetInt32()); // 5 windows × 3 steps, each window refitted with the regressors
        var forecast = await (await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { horizon = 3, levels = new[] { 80 } })).ReadJsonAsync();
        var first = forecast.GetProperty("points")[0].GetProperty("values").GetProperty("y");
        var width = first.GetProperty("upper").GetProperty("80").GetDouble() - first.GetProperty("lower").GetProperty("80").GetDouble();
        Assert.True(width is > 0 and < 20, $"80% interval width {width:F2} (noise about 1; without the regressors the level shifts are 20–30)");
    }

    [Fact]
    public async Task Auto_sarima_searches_orders_with_the_regressors_in()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, Future, "auto-sarimax");
        object Request(string approximation) => new
        {
            datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo", "kind" }, horizon = Future,
            split = new { trainFrom = Day(0), trainTo = Day(Days - 1) }, model = new { kind = "auto_sarima", approximation },
        };
        var refused = await client.PostAsJsonAsync("/api/training-runs", Request("always"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"model.approximation\"", await refused.Content.ReadAsStringAsync());

        var model = await client.TrainAsync(Request("auto"));
        var chosen = model.GetProperty("details").GetProperty("fits")[0].GetProperty("chosen");
        var names = chosen.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("x1", names);
        Assert.Contains("x3", names);
        var coefficients = model.GetProperty("details").GetProperty("regression").GetProperty("fits")[0].GetProperty("coefficients");
        Assert.Equal(30, coefficients[0].GetProperty("value").GetDouble(), 3.0); // promo
        var forecast = await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { horizon = Future });
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, await forecast.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Kinds_without_a_regression_part_still_refuse_known_future_columns()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadAsync(client, 0, "sarimax-refused");
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo" }, model = new { kind = "ets" },
            split = new { trainFrom = Day(0), trainTo = Day(Days - 1) },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"knownFuture\"", text);
        Assert.Contains("sarima", text);

        // A model without a regression part has nothing to explain.
        var plain = await client.TrainAsync(new { datasetId, targets = new[] { "y" }, split = new { trainFrom = Day(0), trainTo = Day(Days - 1) }, model = Model });
        var explain = await client.PostAsJsonAsync($"/api/models/{plain.Id()}/forecast", new { explain = true });
        var refusal = await explain.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, explain.StatusCode);
        Assert.Contains("\"explain\"", refusal);
    }
}
