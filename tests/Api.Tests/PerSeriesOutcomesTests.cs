using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// A panel as a retailer has it: a constant (all-zero) series and one launched 14 days before the cut-off beside two
/// ordinary ones. Each series stands alone: the kind fits what it can, the others get the fallback or are skipped, and
/// the model and GET /api/models/{id}/series say which and why.
/// </summary>
public sealed class PerSeriesOutcomesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static double[] Weekly(int days, int seed, double level)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(t => level + 0.2 * level * Math.Sin(2 * Math.PI * t / 7) + random.NextDouble() * 0.05 * level).ToArray();
    }

    private static readonly double[] Launched = Weekly(14, 3, 40);

    private async Task<string> UploadPanelAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "retail-panel",
            frequency = "D",
            series = new object[]
            {
                new { id = "fast", start = "2020-01-01", columns = new Dictionary<string, double[]> { ["sales"] = Weekly(200, 1, 150) } },
                new { id = "slow", start = "2020-01-01", columns = new Dictionary<string, double[]> { ["sales"] = Weekly(200, 2, 1.5) } },
                new { id = "zero", start = "2020-01-01", columns = new Dictionary<string, double[]> { ["sales"] = new double[200] } },
                new { id = "new", start = "2020-07-05", columns = new Dictionary<string, double[]> { ["sales"] = Launched } },
            },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload failed: {body}");
        return body.Id();
    }

    private static object Request(string dataset, object? extra = null) => new Dictionary<string, object?>
    {
        ["datasetId"] = dataset, ["targets"] = new[] { "sales" }, ["horizon"] = 7, ["model"] = new { kind = "theta", season = 7 },
    }.Concat(extra is null ? [] : JsonSerializer.SerializeToElement(extra).EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value)))
        .ToDictionary();

    private static async Task<JsonElement> ForecastAsync(HttpClient client, string model, string series)
    {
        var response = await client.PostAsJsonAsync($"/api/models/{model}/forecast", new { series, horizon = 7, levels = new[] { 80 } });
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"forecast of {series}: {body}");
        return body;
    }

    private static double[] Means(JsonElement forecast) =>
        forecast.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("sales").GetProperty("mean").GetDouble()).ToArray();

    [Fact]
    public async Task Series_the_kind_cannot_fit_get_the_seasonal_naive_fallback_and_are_listed_with_why()
    {
        var client = factory.CreateClient();
        var dataset = await UploadPanelAsync(client);
        var model = await client.TrainAsync(Request(dataset));
        var id = model.GetProperty("id").GetString()!;

        var summary = model.GetProperty("series");
        Assert.Equal(2, summary.GetProperty("fitted").GetInt32());
        Assert.Equal(2, summary.GetProperty("fallback").GetInt32());
        Assert.Equal(0, summary.GetProperty("skipped").GetInt32());
        var notFitted = summary.GetProperty("notFitted").EnumerateArray().ToDictionary(s => s.GetProperty("series").GetString()!);
        Assert.Equal(["new", "zero"], notFitted.Keys.Order());
        Assert.Contains("constant", notFitted["zero"].GetProperty("reason").GetString());
        Assert.Contains("14", notFitted["new"].GetProperty("reason").GetString());
        Assert.All(notFitted.Values, s => Assert.Equal("seasonal_naive", s.GetProperty("method").GetString()));

        var page = await (await client.GetAsync($"/api/models/{id}/series?status=fitted")).ReadJsonAsync();
        Assert.Equal(["fast", "slow"], page.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("series").GetString()));
        Assert.All(page.GetProperty("series").EnumerateArray(), s => Assert.Equal("theta", s.GetProperty("method").GetString()));

        // The fallback forecasts as the seasonal naive method does: the last week again; the constant series stays at zero.
        Assert.Equal(Launched[7..], Means(await ForecastAsync(client, id, "new")));
        Assert.All(Means(await ForecastAsync(client, id, "zero")), m => Assert.Equal(0, m));
        Assert.Equal(7, Means(await ForecastAsync(client, id, "fast")).Length);

        var bad = await client.GetAsync($"/api/models/{id}/series?status=broken");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("fitted, fallback, skipped", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_fallback_such_series_are_skipped_and_their_forecast_says_why()
    {
        var client = factory.CreateClient();
        var dataset = await UploadPanelAsync(client);
        var model = await client.TrainAsync(Request(dataset, new { fallback = "none" }));
        var id = model.GetProperty("id").GetString()!;
        Assert.Equal(2, model.GetProperty("series").GetProperty("skipped").GetInt32());

        var skipped = await (await client.GetAsync($"/api/models/{id}/series?status=skipped")).ReadJsonAsync();
        Assert.Equal(["new", "zero"], skipped.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("series").GetString()));

        var response = await client.PostAsJsonAsync($"/api/models/{id}/forecast", new { series = "zero", horizon = 7 });
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{response.StatusCode}");
        Assert.Contains("skipped in training", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Skipped_series_are_not_in_the_validation_scope_the_leaderboard_compares()
    {
        var client = factory.CreateClient();
        var dataset = await UploadPanelAsync(client);
        var split = new { trainTo = "2020-07-11", validFrom = "2020-07-12", validTo = "2020-07-18" };
        var skipping = await client.TrainAsync(Request(dataset, new { fallback = "none", split }));
        var falling = await client.TrainAsync(Request(dataset, new { split }));
        int Scope(JsonElement model) => model.GetProperty("metrics").GetProperty("validationScope").GetProperty("series").GetInt32();
        Assert.Equal(2, Scope(skipping));
        Assert.Equal(4, Scope(falling));
        Assert.NotEqual(skipping.GetProperty("metrics").GetProperty("validationScope").GetProperty("key").GetString(),
            falling.GetProperty("metrics").GetProperty("validationScope").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_run_fitting_fewer_than_minFittedShare_fails_naming_the_series_and_why()
    {
        var client = factory.CreateClient();
        var dataset = await UploadPanelAsync(client);
        var queued = await client.PostAsJsonAsync("/api/training-runs", Request(dataset, new { minFittedShare = 0.75 }));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var run = await client.WaitForRunAsync((await queued.ReadJsonAsync()).Id());
        Assert.Equal("failed", run.GetProperty("status").GetString());
        var error = run.GetProperty("error").GetString();
        Assert.Contains("2 of 4 series", error);
        Assert.Contains("minFittedShare 0.75 needs 3", error);
        Assert.Contains("'zero'", error);
    }

    [Theory]
    [InlineData("""{ "kind": "gru" }""", """ "fallback": "naive" """, "fallback", "trains one model over all series")]
    [InlineData("""{ "kind": "theta" }""", """ "minFittedShare": 1.5 """, "minFittedShare", "greater than 0 and at most 1")]
    [InlineData("""{ "kind": "theta" }""", """ "fallback": "mean" """, "fallback", "seasonal_naive")]
    public async Task Bad_fallback_settings_are_refused_naming_the_field(string model, string setting, string field, string message)
    {
        var client = factory.CreateClient();
        var dataset = await UploadPanelAsync(client);
        var body = $$"""{ "datasetId": "{{dataset}}", "targets": ["sales"], "horizon": 7, "model": {{model}}, {{setting}} }""";
        var response = await client.PostAsync("/api/training-runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, text);
        Assert.Contains(message, text);
    }
}
