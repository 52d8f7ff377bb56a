using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// POST /api/models/{id}/anomalies on a daily series with a weekly pattern, Gaussian noise (σ = 2) and three spikes of
/// +8σ in the judged period: the spikes are flagged at 99 %, and few other days are.
/// </summary>
public sealed class AnomalyTests(AnomalyTests.Data data) : IClassFixture<AnomalyTests.Data>
{
    private const double Sigma = 2;
    private static readonly int[] SpikeDays = [250, 265, 280];

    /// <summary>300 days from 2020-01-01: trained on days 0..199, validated (conformal calibration) on 200..239, judged on 240..299.</summary>
    public sealed class Data : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new();
        public HttpClient Client { get; private set; } = null!;
        public string DatasetId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Client = Factory.CreateClient();
            var random = new Random(3);
            double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var values = Enumerable.Range(0, 300).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + Sigma * Gaussian()).ToArray();
            foreach (var day in SpikeDays) values[day] += 8 * Sigma;
            var response = await Client.PostAsJsonAsync("/api/datasets", new
            {
                name = "spikes", frequency = "D",
                series = new[] { new { id = "s1", start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = values } } },
            });
            var body = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
            DatasetId = body.Id();
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private static string Day(int t) => new DateOnly(2020, 1, 1).AddDays(t).ToString("yyyy-MM-dd");

    private Task<JsonElement> TrainAsync(string modelJson, int horizon = 3, int? windowLength = null) => data.Client.TrainAsync(new
    {
        datasetId = data.DatasetId, targets = new[] { "value" }, horizon, windowLength,
        split = new { trainFrom = Day(0), trainTo = Day(199), validFrom = Day(200), validTo = Day(239) },
        model = JsonDocument.Parse(modelJson).RootElement,
        scaling = windowLength is null ? null : new { kind = "standard" },
        training = windowLength is null ? null : new { epochs = 200, batchSize = 16, learningRate = 0.01, optimizer = "adam", patience = 20, seed = 1 },
    });

    public static TheoryData<string, string, int?, int> Kinds => new()
    {
        { "seasonal_naive", """{ "kind": "seasonal_naive" }""", null, 1 },
        { "seasonal_naive", """{ "kind": "seasonal_naive" }""", null, 3 },
        { "sarima", """{ "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }""", null, 1 },
        { "sarima", """{ "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }""", null, 3 },
        { "linear", """{ "kind": "linear" }""", 14, 1 },
        { "linear", """{ "kind": "linear" }""", 14, 3 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_spikes_are_flagged_at_99_percent_and_few_other_days(string kind, string modelJson, int? windowLength, int step)
    {
        var model = await TrainAsync(modelJson, windowLength: windowLength);
        var response = await data.Client.PostAsJsonAsync($"/api/models/{model.Id()}/anomalies", new { from = Day(240), to = Day(299), level = 99, step });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("conformal", body.GetProperty("method").GetString());
        Assert.Equal(step, body.GetProperty("step").GetInt32());
        var points = body.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(60, points.Count);
        Assert.Equal(Day(240), points[0].GetProperty("timestamp").GetString());
        var flagged = new HashSet<string>();
        foreach (var point in points)
        {
            var (actual, mean) = (point.GetProperty("actual").GetDouble(), point.GetProperty("mean").GetDouble());
            var (lower, upper) = (point.GetProperty("lower").GetProperty("99").GetDouble(), point.GetProperty("upper").GetProperty("99").GetDouble());
            var anomaly = point.GetProperty("anomaly").GetProperty("99").GetBoolean();
            var score = point.GetProperty("score").GetProperty("99").GetDouble();
            Assert.True(lower < mean && mean < upper, point.ToString());
            Assert.Equal(actual < lower || actual > upper, anomaly);
            Assert.Equal(anomaly, score > 1);
            if (anomaly) flagged.Add(point.GetProperty("timestamp").GetString()!);
        }
        var spikes = SpikeDays.Select(Day).ToHashSet();
        Assert.True(spikes.IsSubsetOf(flagged), $"{kind} h={step}: flagged {string.Join(", ", flagged)}");
        // Seasonal models repeat a spike's error a season later (the spike is in the history their forecast copies): at most one echo each.
        var others = flagged.Except(spikes).Count();
        Assert.True(others <= SpikeDays.Length + 2, $"{kind} h={step}: {others} other days flagged: {string.Join(", ", flagged.Except(spikes))}");

        var count = Assert.Single(body.GetProperty("counts").EnumerateArray());
        Assert.Equal(99, count.GetProperty("level").GetDouble());
        Assert.Equal(60, count.GetProperty("observations").GetInt32());
        Assert.Equal(flagged.Count, count.GetProperty("flagged").GetInt32());
        Assert.Equal(0.6, count.GetProperty("expectedFlagged").GetDouble(), 1e-9);
    }

    /// <summary>
    /// The issue's goal on spikes: 20 spikes of ±6σ to ±10σ over 260 judged days of a second series. Recall is the share of
    /// spikes flagged, precision the share of flags that are spikes. A seasonal naive forecast copies the spike into the
    /// forecast a season later and flags that day too, and a linear model's window carries a spike into the next 14
    /// forecasts; <c>clean</c> replaces flagged values by their forecast in later histories. Measured (recall, precision):
    /// sarima 1.00, 0.91 (clean 1.00, 0.87); seasonal_naive 1.00, 0.43 (clean 1.00, 0.80); linear 1.00, 0.36 (clean 1.00, 0.74).
    /// </summary>
    [Theory]
    [InlineData("""{ "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }""", null, false, 0.8)]
    [InlineData("""{ "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }""", null, true, 0.8)]
    [InlineData("""{ "kind": "seasonal_naive" }""", null, false, 0.4)]
    [InlineData("""{ "kind": "seasonal_naive" }""", null, true, 0.75)]
    [InlineData("""{ "kind": "linear" }""", 14, false, 0.3)]
    [InlineData("""{ "kind": "linear" }""", 14, true, 0.65)]
    public async Task Twenty_spikes_are_found_with_recall_and_precision(string modelJson, int? windowLength, bool clean, double minimumPrecision)
    {
        var random = new Random(11);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var values = Enumerable.Range(0, 500).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + Sigma * Gaussian()).ToArray();
        var spikes = Enumerable.Range(0, 20).Select(i => 245 + 12 * i + random.Next(0, 5)).ToHashSet();
        foreach (var day in spikes) values[day] += (random.Next(2) == 0 ? -1 : 1) * (6 + 4 * random.NextDouble()) * Sigma;
        var flagged = await FlaggedDaysAsync("twenty-spikes", values, modelJson, windowLength, clean);
        var found = spikes.Count(flagged.Contains);
        var (recall, precision) = (found / 20.0, flagged.Count == 0 ? 0 : found / (double)flagged.Count);
        Assert.True(recall >= 0.9 && precision >= minimumPrecision, $"{modelJson}: recall {recall:0.00}, precision {precision:0.00} ({flagged.Count} flagged)");
    }

    /// <summary>
    /// Spikes and level shifts: 10 spikes and 10 lasting shifts of ±6σ to ±10σ, alternating, over 260 judged days. An
    /// event is found when its first day is flagged. After a shift a model's forecasts need time to reach the new level,
    /// and those days are flagged too: they belong to the shift, not false alarms, when they follow its start within a
    /// week (the event window). Precision: the share of flags inside an event window. Measured (recall, precision):
    /// seasonal_naive 1.00, 0.86 (clean 0.70, 0.34); sarima(1,0,0)(0,1,1,7) 0.75, 0.35 (clean 0.65, 0.32);
    /// sarima(0,1,1)(0,1,1,7) 0.75, 0.33 (clean 0.65, 0.34); linear 1.00, 0.35 (clean 0.80, 0.33). Only seasonal naive,
    /// whose forecast takes up the new level a season later, meets the goal (0.9, 0.8): the fitted models learned a level
    /// that does not move (the training period has no shift), so every day after a shift lies outside their intervals,
    /// and <c>clean</c> replaces the new level by the old one in their histories. docs/production.md says so.
    /// </summary>
    [Theory]
    [InlineData("""{ "kind": "seasonal_naive" }""", null, false, 0.9, 0.8)]
    [InlineData("""{ "kind": "seasonal_naive" }""", null, true, 0.65, 0.3)]
    [InlineData("""{ "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }""", null, false, 0.7, 0.3)]
    [InlineData("""{ "kind": "sarima", "order": [0, 1, 1], "seasonalOrder": [0, 1, 1, 7] }""", null, false, 0.7, 0.3)]
    [InlineData("""{ "kind": "linear" }""", 14, false, 0.9, 0.3)]
    public async Task Spikes_and_level_shifts_are_found(string modelJson, int? windowLength, bool clean, double minimumRecall, double minimumPrecision)
    {
        var random = new Random(12);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var values = Enumerable.Range(0, 500).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + Sigma * Gaussian()).ToArray();
        var events = Enumerable.Range(0, 20).Select(i => (Day: 245 + 12 * i + random.Next(0, 5), Shift: i % 2 == 1)).ToList();
        foreach (var (day, shift) in events)
        {
            var size = (random.Next(2) == 0 ? -1 : 1) * (6 + 4 * random.NextDouble()) * Sigma;
            for (var t = day; t < (shift ? values.Length : day + 1); t++) values[t] += size;
        }
        var flagged = await FlaggedDaysAsync("spikes-and-shifts", values, modelJson, windowLength, clean);
        bool InWindow(int t) => events.Any(e => e.Shift ? t >= e.Day && t < e.Day + 7 : t == e.Day);
        var (recall, precision) = (events.Count(e => flagged.Contains(e.Day)) / 20.0, flagged.Count == 0 ? 0 : flagged.Count(InWindow) / (double)flagged.Count);
        Assert.True(recall >= minimumRecall && precision >= minimumPrecision,
            $"{modelJson} clean={clean}: recall {recall:0.00}, precision {precision:0.00} ({flagged.Count} flagged)");
    }

    /// <summary>
    /// Uploads 500 days from 2020-01-01, trains the model on days 0..199 (validated on 200..239), judges 240..499 at 99 %
    /// one step ahead, and returns the flagged days' numbers.
    /// </summary>
    private async Task<HashSet<int>> FlaggedDaysAsync(string name, double[] values, string modelJson, int? windowLength, bool clean)
    {
        var upload = await data.Client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = new[] { new { id = "s1", start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = values } } },
        });
        var model = await data.Client.TrainAsync(new
        {
            datasetId = (await upload.ReadJsonAsync()).Id(), targets = new[] { "value" }, horizon = 1, windowLength,
            split = new { trainFrom = Day(0), trainTo = Day(199), validFrom = Day(200), validTo = Day(239) },
            model = JsonDocument.Parse(modelJson).RootElement,
            scaling = windowLength is null ? null : new { kind = "standard" },
            training = windowLength is null ? null : new { epochs = 200, batchSize = 16, learningRate = 0.01, optimizer = "adam", patience = 20, seed = 1 },
        });
        var body = await (await data.Client.PostAsJsonAsync($"/api/models/{model.Id()}/anomalies", new { from = Day(240), to = Day(499), level = 99, clean })).ReadJsonAsync();
        return body.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("anomaly").GetProperty("99").GetBoolean())
            .Select(p => DateOnly.Parse(p.GetProperty("timestamp").GetString()!).DayNumber - new DateOnly(2020, 1, 1).DayNumber).ToHashSet();
    }

    [Fact]
    public async Task The_forecast_of_an_observation_is_the_forecast_from_h_steps_before_it()
    {
        var model = await TrainAsync("""{ "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }""");
        var judged = await (await data.Client.PostAsJsonAsync($"/api/models/{model.Id()}/anomalies",
            new { from = Day(260), to = Day(260), levels = new[] { 80, 95 }, step = 3, method = "model" })).ReadJsonAsync();
        var forecast = await (await data.Client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast",
            new { origin = Day(257), horizon = 3, levels = new[] { 80, 95 }, method = "model" })).ReadJsonAsync();
        var point = Assert.Single(judged.GetProperty("points").EnumerateArray());
        var expected = forecast.GetProperty("points")[2].GetProperty("values").GetProperty("value");
        Assert.Equal("model", judged.GetProperty("method").GetString());
        Assert.Equal(expected.GetProperty("mean").GetDouble(), point.GetProperty("mean").GetDouble(), 1e-9);
        foreach (var level in new[] { "80", "95" })
        {
            Assert.Equal(expected.GetProperty("lower").GetProperty(level).GetDouble(), point.GetProperty("lower").GetProperty(level).GetDouble(), 1e-9);
            Assert.Equal(expected.GetProperty("upper").GetProperty(level).GetDouble(), point.GetProperty("upper").GetProperty(level).GetDouble(), 1e-9);
        }
        Assert.Equal(2, judged.GetProperty("counts").GetArrayLength());
    }

    [Fact]
    public async Task Csv_answers_a_long_table()
    {
        var model = await TrainAsync("""{ "kind": "seasonal_naive" }""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{model.Id()}/anomalies")
        {
            Content = JsonContent.Create(new { from = Day(248), to = Day(252), level = 99 }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await data.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("unique_id,ds,target,y,mean,lo-99,hi-99,score-99,anomaly-99", lines[0]);
        Assert.Equal(6, lines.Length);
        var spike = lines.Single(l => l.Contains(Day(250))).Split(',');
        Assert.Equal(["s1", Day(250), "value"], spike[..3]);
        Assert.Equal("true", spike[8]);
        Assert.True(double.Parse(spike[7], System.Globalization.CultureInfo.InvariantCulture) > 1);
        Assert.Equal(4, lines.Count(l => l.EndsWith(",false", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{ "from": "2020-09-01", "series": "s9" }""", "series", "not trained on series 's9'" },
        { """{ "from": "2019-12-01" }""", "from", "within the data" },
        { """{ "from": "2020-09-01", "to": "2021-12-01" }""", "to", "within the data" },
        { """{ "from": "2020-09-10", "to": "2020-09-01" }""", "to", "before from" },
        { """{ "to": "2020-09-01" }""", "from", "required" },
        { """{ "from": "2020-01-03" }""", "from", "Series 's1'" },
        { """{ "from": "2020-01-01" }""", "from", "no data 1 step before it" },
        { """{ "from": "2020-09-01", "level": 100 }""", "level", "strictly between 0 and 100" },
        { """{ "from": "2020-09-01", "level": 0.99 }""", "level", "write 99" },
        { """{ "from": "2020-09-01", "level": 99, "levels": [95] }""", "level", "not both" },
        { """{ "from": "2020-09-01", "step": 0 }""", "step", "at least 1" },
        { """{ "from": "2020-09-01", "step": 100000 }""", "step", "Limits:MaxHorizon" },
        { """{ "from": "2020-09-01", "method": "exact" }""", "method", "conformal" },
        { """{ "from": "2020-09-01", "threshold": 3 }""", "threshold", "threshold" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_naming_the_field(string body, string field, string message)
    {
        var model = await TrainAsync("""{ "kind": "seasonal_naive" }""");
        var response = await data.Client.PostAsync($"/api/models/{model.Id()}/anomalies", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.Contains(message, messages.ToString());
    }

    [Fact]
    public async Task The_work_is_capped_and_the_cap_is_named()
    {
        await using var factory = ApiFactory.With(new() { ["Limits:MaxAnomalyObservations"] = "10" });
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadDailyAsync(client, days: 60);
        var model = await client.TrainAsync(new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "seasonal_naive" } });
        var ok = await client.PostAsJsonAsync($"/api/models/{model.Id()}/anomalies", new { from = "2020-02-20", to = "2020-02-29" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var refused = await client.PostAsJsonAsync($"/api/models/{model.Id()}/anomalies", new { from = "2020-02-19" });
        var problem = await refused.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Limits:MaxAnomalyObservations", problem.GetProperty("errors").GetProperty("to").ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/models/{Guid.NewGuid()}/anomalies", new { from = "2020-02-20" })).StatusCode);
    }
}
