using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>
/// A statistical model's fits are stored per series on its model_series rows (the model's own state holds only the
/// calibration). Its forecasts are those of the same model stored whole, as models trained before were; those still
/// forecast; and the whole fleet streams as CSV with the numbers of the JSON answer. A neural model's fleet goes through its
/// network in batches, each series answered as alone.
/// </summary>
public sealed class PerSeriesStateTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static double[] Weekly(int days, int seed, double level)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(t => level + 0.2 * level * Math.Sin(2 * Math.PI * t / 7) + random.NextDouble() * 0.05 * level).ToArray();
    }

    private static async Task<string> UploadAsync(HttpClient client, string name, IEnumerable<(string Id, double[] Values)> series)
    {
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = series.Select(s => new { id = s.Id, start = "2020-01-01", columns = new Dictionary<string, double[]> { ["sales"] = s.Values } }).ToArray(),
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload failed: {body}");
        return body.Id();
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string model, object request, bool csv = false)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{model}/forecast") { Content = JsonContent.Create(request) };
        if (csv) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"forecast failed: {text}");
        return csv ? JsonSerializer.SerializeToElement(text) : JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_model_stored_per_series_forecasts_as_the_same_model_stored_whole_and_whole_models_still_forecast()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client, "per-series", [("fast", Weekly(200, 1, 150)), ("slow", Weekly(200, 2, 1.5)), ("zero", new double[200])]);
        var model = await client.TrainAsync(new
        {
            datasetId = dataset, targets = new[] { "sales" }, horizon = 7, model = new { kind = "theta", season = 7 }, transform = new { kind = "log1p" },
            split = new { trainTo = "2020-06-18", validFrom = "2020-06-19" },
        });
        var id = Guid.Parse(model.Id());
        Assert.Equal("theta-series-json-v1", model.GetProperty("stateFormat").GetString());

        // Each fitted series (and the constant one, by its fallback) has its own state; the model's holds no fits.
        var rows = await factory.QueryAsync(db => db.ModelSeries.AsNoTracking().Where(s => s.ModelId == id).ToListAsync());
        Assert.Equal(["fast", "slow", "zero"], rows.Select(r => r.SeriesId).Order());
        Assert.All(rows, r => Assert.NotNull(r.State));
        Assert.Equal(SeriesStatus.Fallback, rows.Single(r => r.SeriesId == "zero").Status);
        var entity = await factory.QueryAsync(db => db.Models.AsNoTracking().SingleAsync(m => m.Id == id));
        Assert.Equal(0, JsonDocument.Parse(entity.State).RootElement.GetProperty("fits").GetArrayLength());

        var request = new { horizon = 7, levels = new[] { 80, 95 }, quantiles = new[] { 0.1, 0.9 } };
        var perSeries = new List<string>();
        foreach (var series in new[] { "fast", "slow", "zero" })
            perSeries.Add((await PostAsync(client, model.Id(), new { series, request.horizon, request.levels, request.quantiles })).GetProperty("points").GetRawText());
        var batch = (await PostAsync(client, model.Id(), request)).GetProperty("forecasts").GetRawText();
        Assert.Contains("conformal", (await PostAsync(client, model.Id(), new { series = "fast" })).GetProperty("method").GetString());

        // The same model as the code before per-series state stored it: the whole model in one state, rows without fits.
        var kind = (ISeriesStateKind)factory.Services.GetRequiredService<ModelKindRegistry>().Get("theta");
        var spec = JsonSerializer.Deserialize<TrainingRunSpec>(entity.SpecJson, ApiClientExtensions.Json)!;
        var whole = kind.LoadSeries(kind.Load(entity.State, spec), rows.Select(r => new SeriesState(r.SeriesId, r.Target, r.State!)).ToList(), []);
        await factory.QueryAsync(async db =>
        {
            await db.Models.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, whole.SaveState()).SetProperty(m => m.StateFormat, kind.Traits.StateFormat));
            return await db.ModelSeries.Where(s => s.ModelId == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, (byte[]?)null));
        });
        factory.Services.GetRequiredService<ForecastService>().Forget(id);
        Assert.Equal("theta-json-v1", (await (await client.GetAsync($"/api/models/{id}")).ReadJsonAsync()).GetProperty("stateFormat").GetString());

        foreach (var (series, expected) in new[] { "fast", "slow", "zero" }.Zip(perSeries))
            Assert.Equal(expected, (await PostAsync(client, model.Id(), new { series, request.horizon, request.levels, request.quantiles })).GetProperty("points").GetRawText());
        Assert.Equal(batch, (await PostAsync(client, model.Id(), request)).GetProperty("forecasts").GetRawText());
    }

    [Fact]
    public async Task A_fleet_streamed_as_csv_has_the_numbers_of_the_json_answer()
    {
        var client = factory.CreateClient();
        // More series than one read of stored fits holds (500), and one too short to fit, skipped without a fallback.
        var series = Enumerable.Range(0, 1203).Select(i => ($"s{i:D4}", Weekly(30, i, 10 + i))).Append(("short", Weekly(5, 9, 10))).ToList();
        var dataset = await UploadAsync(client, "fleet", series);
        var model = await client.TrainAsync(new
        {
            datasetId = dataset, targets = new[] { "sales" }, horizon = 3, model = new { kind = "seasonal_naive", season = 7 }, fallback = "none",
            split = new { trainTo = "2020-01-27", validFrom = "2020-01-28" },
        });
        var request = new { horizon = 3, levels = new[] { 80 } };
        var json = (await PostAsync(client, model.Id(), request)).GetProperty("forecasts").EnumerateArray().ToList();
        var csv = (await PostAsync(client, model.Id(), request, csv: true)).GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("unique_id,ds,target,mean,lo-80,hi-80,error", csv[0]);
        Assert.Equal(series.Select(s => s.Item1), json.Select(f => f.GetProperty("series").GetString()));
        var expected = new List<string>();
        foreach (var forecast in json)
        {
            var id = forecast.GetProperty("series").GetString()!;
            if (forecast.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                expected.Add($"{id},,,,,,{(error.GetString()!.Contains(',') ? $"\"{error.GetString()}\"" : error.GetString())}");
                continue;
            }
            foreach (var point in forecast.GetProperty("points").EnumerateArray())
            {
                var value = point.GetProperty("values").GetProperty("sales");
                string N(JsonElement e) => e.GetDouble().ToString("R", CultureInfo.InvariantCulture);
                expected.Add($"{id},{point.GetProperty("timestamp").GetString()},sales,{N(value.GetProperty("mean"))},{N(value.GetProperty("lower").GetProperty("80"))},{N(value.GetProperty("upper").GetProperty("80"))},");
            }
        }
        Assert.Equal(1203 * 3 + 1, expected.Count);
        Assert.Contains("skipped in training", expected[^1]);
        Assert.Equal(expected, csv.Skip(1).Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public async Task A_neural_fleet_forecast_in_one_batch_answers_each_series_as_alone()
    {
        var client = factory.CreateClient();
        var created = await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "neural-fleet", count = 600, steps = 40, seed = 3 })).ReadJsonAsync();
        var model = await client.TrainAsync(new
        {
            datasetId = created.Id(), targets = new[] { "value" }, windowLength = 10, horizon = 3, strategy = "recursive",
            split = new { train = 0.8, valid = 0.2 }, model = new { kind = "gru", units = new[] { 4 } },
            training = new { loss = "mse", optimizer = "adam", epochs = 1, batchSize = 64, seed = 1 },
        });
        // 600 series: two chunks of the fleet, each one batch through the network.
        var fleet = (await PostAsync(client, model.Id(), new { levels = new[] { 80 } })).GetProperty("forecasts").EnumerateArray().ToList();
        Assert.Equal(600, fleet.Count);
        foreach (var i in new[] { 0, 1, 250, 499, 500, 599 })
        {
            var alone = await PostAsync(client, model.Id(), new { series = i.ToString(CultureInfo.InvariantCulture), levels = new[] { 80 } });
            var batched = fleet[i];
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), batched.GetProperty("series").GetString());
            foreach (var (a, b) in alone.GetProperty("points").EnumerateArray().Zip(batched.GetProperty("points").EnumerateArray()))
            {
                var (va, vb) = (a.GetProperty("values").GetProperty("value"), b.GetProperty("values").GetProperty("value"));
                foreach (var (x, y) in new[] { (va.GetProperty("mean"), vb.GetProperty("mean")), (va.GetProperty("lower").GetProperty("80"), vb.GetProperty("lower").GetProperty("80")),
                             (va.GetProperty("upper").GetProperty("80"), vb.GetProperty("upper").GetProperty("80")) })
                    Assert.True(Math.Abs(x.GetDouble() - y.GetDouble()) <= 1e-5 * Math.Max(1, Math.Abs(x.GetDouble())), $"series {i}: {y} in the batch against {x} alone");
            }
        }
    }
}
