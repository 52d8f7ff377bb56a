using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// <c>bounds</c>: a slow mover's seasonal-naive band reaches below zero; with <c>{ "lower": 0 }</c> points, intervals and
/// quantiles are served at or above it, never crossing, and the metrics score what is served.
/// </summary>
public sealed class ForecastBoundsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<string> UploadSlowMoverAsync(HttpClient client)
    {
        var random = new Random(5);
        var sales = Enumerable.Range(0, 120).Select(t => (double)(random.NextDouble() < 0.5 ? 0 : random.Next(1, 6))).ToArray();
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "slow-mover", frequency = "D",
            series = new[] { new { id = "sku", start = "2021-01-01", columns = new Dictionary<string, double[]> { ["sales"] = sales } } },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {body}");
        return body.Id();
    }

    private static object Run(string dataset, object? bounds) => new
    {
        datasetId = dataset, targets = new[] { "sales" }, horizon = 7, model = new { kind = "seasonal_naive" }, bounds,
        split = new { trainTo = "2021-03-31", validFrom = "2021-04-01", validTo = "2021-04-30" },
    };

    private static async Task<List<JsonElement>> PointsAsync(HttpClient client, JsonElement model)
    {
        var response = await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast",
            new { horizon = 7, levels = new[] { 80, 95 }, quantiles = new[] { 0.025, 0.1, 0.5, 0.9, 0.975 }, method = "model" });
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"forecast: {body}");
        return body.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("sales")).ToList();
    }

    [Fact]
    public async Task A_lower_bound_holds_for_points_intervals_and_quantiles_and_the_metrics_score_what_is_served()
    {
        var client = factory.CreateClient();
        var dataset = await UploadSlowMoverAsync(client);
        var free = await client.TrainAsync(Run(dataset, null));
        var bounded = await client.TrainAsync(Run(dataset, new { lower = 0 }));

        var unbounded = await PointsAsync(client, free);
        Assert.Contains(unbounded, v => v.GetProperty("lower").GetProperty("95").GetDouble() < 0);
        foreach (var value in await PointsAsync(client, bounded))
        {
            Assert.True(value.GetProperty("mean").GetDouble() >= 0);
            var quantiles = value.GetProperty("quantiles");
            var ordered = new[] { "0.025", "0.1", "0.5", "0.9", "0.975" }.Select(q => quantiles.GetProperty(q).GetDouble()).ToArray();
            Assert.True(ordered[0] >= 0, $"quantile 0.025 is {ordered[0]}");
            for (var i = 1; i < ordered.Length; i++) Assert.True(ordered[i - 1] <= ordered[i], $"quantiles cross: {quantiles}");
            Assert.True(value.GetProperty("lower").GetProperty("95").GetDouble() >= 0);
        }

        // The actuals are never negative, so clipping the bands at zero keeps their coverage and narrows them.
        double Figure(JsonElement model, string name) => model.GetProperty("metrics").GetProperty("validation").GetProperty(name).GetProperty("95").GetDouble();
        Assert.Equal(Figure(free, "coverage"), Figure(bounded, "coverage"));
        Assert.True(Figure(bounded, "intervalScore") < Figure(free, "intervalScore"),
            $"interval score {Figure(bounded, "intervalScore")} with bounds, {Figure(free, "intervalScore")} without");
    }

    [Fact]
    public async Task A_backtest_scores_forecasts_clipped_to_its_bounds()
    {
        // A product being phased out: sales fall to nothing, and a random walk with drift forecasts below zero.
        var client = factory.CreateClient();
        var random = new Random(8);
        var sales = Enumerable.Range(0, 90).Select(t => Math.Max(0, 45 - 0.6 * t + random.NextDouble())).ToArray();
        var created = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "phase-out", frequency = "D",
            series = new[] { new { id = "sku", start = "2021-01-01", columns = new Dictionary<string, double[]> { ["sales"] = sales } } },
        })).ReadJsonAsync();
        object Backtest(object? bounds) => new
        {
            datasetId = created.Id(), targets = new[] { "sales" }, horizon = 3, bounds,
            model = new { kind = "sarima", order = new[] { 0, 1, 0 }, includeConstant = true }, from = "2021-03-01", to = "2021-03-31",
        };
        double[] Predicted(JsonElement backtest) => backtest.GetProperty("forecasts").EnumerateArray().Select(f => f.GetProperty("predicted").GetDouble()).ToArray();

        var free = await client.BacktestAsync(Backtest(null));
        var bounded = await client.BacktestAsync(Backtest(new { lower = 0 }));
        Assert.Contains(Predicted(free), p => p < 0);
        Assert.All(Predicted(bounded), p => Assert.True(p >= 0, $"predicted {p}"));
        Assert.Equal(Predicted(free).Select(p => Math.Max(0, p)), Predicted(bounded));
        Assert.True(bounded.GetProperty("metrics").GetProperty("mae").GetDouble() < free.GetProperty("metrics").GetProperty("mae").GetDouble());
    }

    [Theory]
    [InlineData("""{ "lower": 5, "upper": 1 }""", "must be less than bounds.upper")]
    [InlineData("""{ }""", "needs lower, upper or both")]
    [InlineData("""{ "lower": 1 }""", "of series 'sku' is 0 at 2021-01-")]
    [InlineData("""{ "lower": 0, "floor": 0 }""", "floor")]
    public async Task Bad_bounds_are_refused_naming_what_is_wrong(string bounds, string message)
    {
        var client = factory.CreateClient();
        var dataset = await UploadSlowMoverAsync(client);
        var body = $$"""{ "datasetId": "{{dataset}}", "targets": ["sales"], "horizon": 7, "model": { "kind": "seasonal_naive" }, "bounds": {{bounds}} }""";
        var response = await client.PostAsync("/api/training-runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("bounds", text);
        Assert.Contains(message, text);
    }
}
