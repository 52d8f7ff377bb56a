using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

public sealed class BatchForecastTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>A panel of three weekly-patterned series and a seasonal-naive model with a validation period.</summary>
    private async Task<(HttpClient Client, string DatasetId, string ModelId)> PanelModelAsync()
    {
        var client = factory.CreateClient();
        var random = new Random(2);
        object Series(string id, double level) => new
        {
            id, start = "2020-01-01",
            columns = new Dictionary<string, double[]> { ["value"] = Enumerable.Range(0, 120).Select(t => level + 10 * (t % 7) + random.NextDouble() * 5).ToArray() },
        };
        var created = await (await client.PostAsJsonAsync("/api/datasets", new { name = "panel", frequency = "D", series = new[] { Series("a", 100), Series("b", 200), Series("c", 300) } })).ReadJsonAsync();
        var model = await client.TrainAsync(new
        {
            datasetId = created.Id(), targets = new[] { "value" }, horizon = 3,
            split = new { trainFrom = "2020-01-01", trainTo = "2020-02-29", validFrom = "2020-03-01" },
            model = new { kind = "seasonal_naive", season = 7 },
        });
        return (client, created.Id(), model.Id());
    }

    [Fact]
    public async Task Without_series_every_series_is_forecast_in_one_answer()
    {
        var (client, _, modelId) = await PanelModelAsync();
        var body = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { })).ReadJsonAsync();
        Assert.Equal("conformal", body.GetProperty("method").GetString());
        var forecasts = body.GetProperty("forecasts").EnumerateArray().ToArray();
        Assert.Equal(["a", "b", "c"], forecasts.Select(f => f.GetProperty("series").GetString()));
        Assert.All(forecasts, f => Assert.Equal(3, f.GetProperty("points").GetArrayLength()));
        // Series b sits 100 above a: its forecast is the value a week before, as the single-series answer gives it.
        var single = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { series = "b" })).ReadJsonAsync();
        Assert.Equal(single.GetProperty("points")[0].GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble(),
            forecasts[1].GetProperty("points")[0].GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task A_list_answers_those_series_and_an_unknown_one_is_a_400_naming_it()
    {
        var (client, _, modelId) = await PanelModelAsync();
        var body = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { series = new[] { "c", "a" } })).ReadJsonAsync();
        Assert.Equal(["c", "a"], body.GetProperty("forecasts").EnumerateArray().Select(f => f.GetProperty("series").GetString()));

        var unknown = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { series = new[] { "a", "zz" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("series[1]", problem);
        Assert.Contains("zz", problem);
    }

    [Fact]
    public async Task Csv_is_a_long_table_with_nixtla_column_names()
    {
        var (client, _, modelId) = await PanelModelAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{modelId}/forecast")
        {
            Content = JsonContent.Create(new { series = new[] { "a", "b" }, levels = new[] { 80, 95 }, quantiles = new[] { 0.1, 0.5, 0.9 } }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("unique_id,ds,target,mean,lo-80,hi-80,lo-95,hi-95,q-10,q-50,q-90,error", lines[0]);
        Assert.Equal(1 + 2 * 3, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(("a", "2020-04-30", "value"), (first[0], first[1], first[2]));
        var (mean, lo80, hi80, lo95, hi95, q10, q50, q90) = (double.Parse(first[3]), double.Parse(first[4]), double.Parse(first[5]),
            double.Parse(first[6]), double.Parse(first[7]), double.Parse(first[8]), double.Parse(first[9]), double.Parse(first[10]));
        Assert.True(lo95 <= lo80 && lo80 < mean && mean < hi80 && hi80 <= hi95);
        Assert.Equal((lo80, mean, hi80), (q10, q50, q90)); // quantiles 0.1/0.9 are the 80% bounds

        var json = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { series = "a", quantiles = new[] { 0.1 } })).ReadJsonAsync();
        var value = json.GetProperty("points")[0].GetProperty("values").GetProperty("value");
        Assert.Equal(lo80, value.GetProperty("quantiles").GetProperty("0.1").GetDouble());
    }

    [Fact]
    public async Task Bad_interval_fields_are_400s_naming_them()
    {
        var (client, _, modelId) = await PanelModelAsync();
        var response = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { series = "a", method = "bootstrap", quantiles = new[] { 1.5 } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("method", problem);
        Assert.Contains("quantiles[0]", problem);
    }

    [Fact]
    public async Task The_leaderboard_ranks_models_by_validation_mae_with_coverage_beside_it()
    {
        var (client, datasetId, seasonal) = await PanelModelAsync();
        var naive = (await client.TrainAsync(new
        {
            datasetId, targets = new[] { "value" }, horizon = 3,
            split = new { trainFrom = "2020-01-01", trainTo = "2020-02-29", validFrom = "2020-03-01" },
            model = new { kind = "naive" },
        })).Id();
        var board = await (await client.GetAsync($"/api/models?datasetId={datasetId}&target=value&sort=validation.mae")).ReadJsonAsync();
        var rows = board.EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        var maes = rows.Select(r => r.GetProperty("metrics").GetProperty("validation").GetProperty("byTarget").GetProperty("value").GetProperty("mae").GetDouble()).ToArray();
        Assert.True(maes[0] <= maes[1], string.Join(", ", maes));
        Assert.Equal(seasonal, rows[0].Id()); // the weekly pattern: seasonal naive beats naive
        Assert.Equal(naive, rows[1].Id());
        Assert.True(rows[0].GetProperty("metrics").GetProperty("validation").GetProperty("coverage").TryGetProperty("80", out _));

        var other = await (await client.GetAsync($"/api/models?datasetId={datasetId}&target=bus&sort=validation.mae")).ReadJsonAsync();
        Assert.Equal(0, other.GetArrayLength());
        var bad = await client.GetAsync($"/api/models?datasetId={datasetId}&sort=validation.accuracy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
