using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// Known-future covariates keyed by series: future rows stored in a dataset (targets empty), future rows for many
/// series in one forecast (JSON and the long CSV answer), backtests with knownFuture, and the 4xx cases.
/// The panel's promo multiplies sales by 1.6, so a model that sees it forecasts the promo weeks.
/// </summary>
public sealed class FutureCovariateTests(FutureCovariateTests.CappedApi factory) : IClassFixture<FutureCovariateTests.CappedApi>
{
    /// <summary>The service with a small horizon cap, so "beyond the cap" is a few rows.</summary>
    public sealed class CappedApi : IDisposable
    {
        public const int Cap = 6;
        public ApiFactory Api { get; } = ApiFactory.With(new() { ["Limits:MaxHorizon"] = Cap.ToString(CultureInfo.InvariantCulture) });
        public void Dispose() => Api.Dispose();
    }

    private const int Days = 150, Horizon = 4;
    private static readonly string[] Ids = ["s0", "s1", "s2", "s3"];

    private static (double[] Y, int[] Promo) Panel(int series, int length)
    {
        var random = new Random(100 + series);
        var promo = Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.3 ? 1 : 0).ToArray();
        var level = 50 + 30 * series;
        var y = Enumerable.Range(0, length).Select(t => level * (1 + 0.6 * promo[t]) + 5 * Math.Sin(2 * Math.PI * t / 7) + random.NextDouble() * 2).ToArray();
        return (y, promo);
    }

    private static string Day(int t) => new DateTime(2021, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The long CSV: series, date, y, promo; <paramref name="future"/> rows per series with y empty and promo set.</summary>
    private static string Csv(int future, Func<int, int, string>? promoCell = null)
    {
        var csv = new StringBuilder("series,date,y,promo\n");
        for (var s = 0; s < Ids.Length; s++)
        {
            var (y, promo) = Panel(s, Days + future);
            for (var t = 0; t < Days + future; t++)
                csv.Append(Ids[s]).Append(',').Append(Day(t)).Append(',')
                    .Append(t < Days ? y[t].ToString("R", CultureInfo.InvariantCulture) : "").Append(',')
                    .Append(promoCell?.Invoke(s, t) ?? promo[t].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, string name = "promo-panel")
    {
        using var form = new MultipartFormDataContent();
        var file = new StringContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "panel.csv");
        form.Add(new StringContent(name), "name");
        form.Add(new StringContent("series"), "seriesColumn");
        form.Add(new StringContent("date"), "timeColumn");
        return await client.PostAsync("/api/datasets", form);
    }

    private static async Task<string> TrainAsync(HttpClient client, string datasetId) => (await client.TrainAsync(new
    {
        datasetId, targets = new[] { "y" }, knownFuture = new[] { "promo" }, windowLength = 7, horizon = Horizon, strategy = "direct",
        split = new { trainFrom = Day(0), trainTo = Day(119), validFrom = Day(120) },
        scaling = new { kind = "standard" },
        model = new { kind = "linear" },
        training = new { epochs = 60, optimizer = "adam", learningRate = 0.02, patience = 10 },
    })).Id();

    private static object Future(string series, int t, int promo) => new Dictionary<string, object> { ["series"] = series, ["timestamp"] = Day(t), ["promo"] = promo };

    private static double[] Means(JsonElement forecast) =>
        forecast.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("y").GetProperty("mean").GetDouble()).ToArray();

    [Fact]
    public async Task Future_rows_of_an_upload_are_stored_apart_and_forecasts_use_them()
    {
        var client = factory.Api.CreateClient();
        var upload = await UploadAsync(client, Csv(future: Horizon));
        var dataset = await upload.ReadJsonAsync();
        Assert.True(upload.StatusCode == HttpStatusCode.Created, dataset.ToString());
        // Observations only in the series' length; the future rows are counted apart and are not training data.
        Assert.Equal(Ids.Length * Days, dataset.GetProperty("rows").GetInt64());
        Assert.All(dataset.GetProperty("series").EnumerateArray(), s =>
        {
            Assert.Equal(Days, s.GetProperty("length").GetInt32());
            Assert.Equal(Horizon, s.GetProperty("futureRows").GetInt32());
            Assert.Equal(Day(Days - 1), s.GetProperty("end").GetString());
        });
        // The data lists them apart (JSON) or after the observations with the target empty (CSV, as uploaded).
        var (_, promoS0) = Panel(0, Days + Horizon);
        var data = await (await client.GetAsync($"/api/datasets/{dataset.Id()}/data?series=s0")).ReadJsonAsync();
        var futureData = data.GetProperty("series")[0].GetProperty("future");
        Assert.Equal(Day(Days), futureData.GetProperty("timestamps")[0].GetString());
        Assert.Equal(promoS0[Days..].Select(p => (double)p), futureData.GetProperty("columns").GetProperty("promo").EnumerateArray().Select(v => v.GetDouble()));
        Assert.False(futureData.GetProperty("columns").TryGetProperty("y", out _));
        using var asCsv = new HttpRequestMessage(HttpMethod.Get, $"/api/datasets/{dataset.Id()}/data?series=s0");
        asCsv.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var lines = (await (await client.SendAsync(asCsv)).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + Days + Horizon, lines.Length);
        Assert.Equal($"s0,{Day(Days + Horizon - 1)},,{promoS0[^1]}", lines[^1].TrimEnd('\r'));

        var modelId = await TrainAsync(client, dataset.Id());

        // No future rows in the request: the dataset's are used, for every series.
        var stored = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { });
        var batch = await stored.ReadJsonAsync();
        Assert.True(stored.StatusCode == HttpStatusCode.OK, batch.ToString());
        var forecasts = batch.GetProperty("forecasts").EnumerateArray().ToList();
        Assert.Equal(Ids, forecasts.Select(f => f.GetProperty("series").GetString()));
        Assert.All(forecasts, f => Assert.False(f.TryGetProperty("error", out _)));

        // The same values posted give the same forecast; other promos give another.
        var (_, promo) = Panel(2, Days + Horizon);
        var posted = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new
        {
            series = "s2", future = Enumerable.Range(Days, Horizon).Select(t => Future("s2", t, promo[t])).ToArray(),
        })).ReadJsonAsync();
        Assert.Equal(Means(forecasts[2]), Means(posted));
        var flipped = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new
        {
            series = "s2", future = Enumerable.Range(Days, Horizon).Select(t => Future("s2", t, 1 - promo[t])).ToArray(),
        })).ReadJsonAsync();
        var level = 50 + 30 * 2;
        for (var k = 0; k < Horizon; k++)
        {
            // The promo multiplies sales by 1.6: the forecast with the promo on is well above the one with it off.
            var (on, off) = promo[Days + k] == 1 ? (Means(posted)[k], Means(flipped)[k]) : (Means(flipped)[k], Means(posted)[k]);
            Assert.True(on - off > 0.3 * level, $"step {k + 1}: promo on {on:F1}, off {off:F1}");
        }
    }

    [Fact]
    public async Task One_request_forecasts_many_series_with_their_future_rows_as_JSON_and_as_the_long_CSV()
    {
        var client = factory.Api.CreateClient();
        var dataset = await (await UploadAsync(client, Csv(future: 0), "no-future")).ReadJsonAsync();
        var modelId = await TrainAsync(client, dataset.Id());
        var rows = Ids.SelectMany((id, s) => Enumerable.Range(Days, Horizon).Select(t => Future(id, t, (s + t) % 2))).ToArray();

        var json = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { future = rows });
        var batch = await json.ReadJsonAsync();
        Assert.True(json.StatusCode == HttpStatusCode.OK, batch.ToString());
        var forecasts = batch.GetProperty("forecasts").EnumerateArray().ToList();
        Assert.Equal(Ids, forecasts.Select(f => f.GetProperty("series").GetString()));
        Assert.All(forecasts, f => Assert.Equal(Horizon, f.GetProperty("points").GetArrayLength()));
        // Each series got its own rows: the one-series answer with that series' rows is the same.
        var single = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new
        {
            series = "s1", future = Enumerable.Range(Days, Horizon).Select(t => new { timestamp = Day(t), promo = (1 + t) % 2 }).ToArray(),
        })).ReadJsonAsync();
        Assert.Equal(Means(single), Means(forecasts[1]));

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{modelId}/forecast") { Content = JsonContent.Create(new { future = rows }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await client.SendAsync(request);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.True(csv.StatusCode == HttpStatusCode.OK, text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + Ids.Length * Horizon, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.EndsWith(",", line.TrimEnd('\r'))); // the error column is empty on every row
        var s1 = lines.Skip(1).Where(l => l.StartsWith("s1,", StringComparison.Ordinal)).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture));
        Assert.Equal(Means(single), s1);

        // The same CSV request without future rows is refused as a whole, not answered with an error on every row.
        using var missing = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{modelId}/forecast") { Content = JsonContent.Create(new { }) };
        missing.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var refused = await client.SendAsync(missing);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("series 's0'", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_future_rows_of_a_forecast_are_a_400_naming_the_row_or_series()
    {
        var client = factory.Api.CreateClient();
        var dataset = await (await UploadAsync(client, Csv(future: 0), "bad-forecast-rows")).ReadJsonAsync();
        var modelId = await TrainAsync(client, dataset.Id());
        async Task<string> Refused(object body)
        {
            var response = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            return text;
        }
        var all = Ids.SelectMany(id => Enumerable.Range(Days, Horizon).Select(t => Future(id, t, 0))).ToList();

        var unknown = await Refused(new { future = all.Append(Future("zz", Days, 1)).ToArray() });
        Assert.Contains("future[16].series", unknown);
        Assert.Contains("'zz'", unknown);

        var beyond = await Refused(new { series = "s0", future = Enumerable.Range(Days, CappedApi.Cap + 1).Select(t => Future("s0", t, 0)).ToArray() });
        Assert.Contains("future[6]", beyond);
        Assert.Contains("Limits:MaxHorizon", beyond);

        var noValue = all.ToList();
        noValue[5] = new Dictionary<string, object> { ["series"] = "s1", ["timestamp"] = Day(Days + 1) };
        var missing = await Refused(new { future = noValue.ToArray() });
        Assert.Contains("future[5].promo", missing);

        var unnamed = await Refused(new { future = new[] { new { timestamp = Day(Days), promo = 1 } } });
        Assert.Contains("future[0].series", unnamed);

        var short_ = await Refused(new { future = Ids.Select(id => Future(id, Days, 1)).ToArray() });
        Assert.Contains("4 future rows are needed", short_);
    }

    [Fact]
    public async Task Bad_future_rows_of_an_upload_are_a_400_naming_the_line_and_column()
    {
        var client = factory.Api.CreateClient();
        async Task<string> Refused(string csv)
        {
            var response = await UploadAsync(client, csv, "bad-upload");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            return text;
        }
        // Lines: header 1, s0's rows 2.., so s0's row t is line t + 2.
        var beyond = await Refused(Csv(future: CappedApi.Cap + 1));
        Assert.Contains($"line {Days + CappedApi.Cap + 2}, column date", beyond);
        Assert.Contains("Limits:MaxHorizon", beyond);

        var emptyPromo = await Refused(Csv(future: 3, (s, t) => s == 0 && t == Days + 1 ? "" : "1"));
        Assert.Contains($"line {Days + 1 + 2}, column promo", emptyPromo);

        // An empty target in the middle of the observations is not a future row.
        var csv = Csv(future: 0).Split('\n');
        var middle = csv[11].Split(',');
        csv[11] = $"{middle[0]},{middle[1]},,{middle[3]}";
        var inside = await Refused(string.Join('\n', csv));
        Assert.Contains("line 12, column y", inside);
        Assert.Contains("not a future row", inside);
    }

    [Fact]
    public async Task A_backtest_with_knownFuture_gives_the_model_the_actual_promos_of_the_steps_it_forecasts()
    {
        var client = factory.Api.CreateClient();
        var dataset = await (await UploadAsync(client, Csv(future: 2), "backtest-panel")).ReadJsonAsync();
        async Task<double> Mae(string[]? knownFuture)
        {
            var backtest = await client.BacktestAsync(new
            {
                datasetId = dataset.Id(), targets = new[] { "y" }, knownFuture, windowLength = 7, horizon = Horizon, strategy = "direct",
                scaling = new { kind = "standard" }, model = new { kind = "linear" },
                training = new { epochs = 60, optimizer = "adam", learningRate = 0.02 },
                from = Day(120), to = Day(Days - 1),
            });
            Assert.Equal(Ids.Length * 30 * Horizon, backtest.GetProperty("forecasts").GetArrayLength());
            return backtest.GetProperty("metrics").GetProperty("mae").GetDouble();
        }
        var with = await Mae(["promo"]);
        var without = await Mae(null);
        // The promo moves sales by 30–60 units; without it the model cannot tell promo days from the others.
        Assert.True(with < 0.5 * without, $"MAE with knownFuture {with:F2}, without {without:F2}");
    }
}
