using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>scaling.per over HTTP: a closed vocabulary refused by name, and a panel model's metrics with coverage by series.</summary>
public sealed class PerSeriesScalingApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>A weekly panel: a fast mover, a slow mover and a SKU that never sells.</summary>
    private static async Task<string> UploadPanelAsync(HttpClient client)
    {
        var random = new Random(5);
        double[] Values(Func<int, double> value) => Enumerable.Range(0, 80).Select(value).ToArray();
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "skus", frequency = "W",
            series = new[]
            {
                new { id = "fast", start = "2024-01-01", columns = new Dictionary<string, object> { ["sales"] = Values(t => Math.Round(150 + 30 * Math.Sin(t / 4.0) + 10 * random.NextDouble())) } },
                new { id = "slow", start = "2024-01-01", columns = new Dictionary<string, object> { ["sales"] = Values(_ => random.Next(0, 4)) } },
                new { id = "zero", start = "2024-01-01", columns = new Dictionary<string, object> { ["sales"] = Values(_ => 0) } },
            },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.Id();
    }

    private static object Run(string datasetId, object scaling) => new
    {
        datasetId, targets = new[] { "sales" }, windowLength = 8, horizon = 2, scaling,
        split = new { trainFrom = "2024-01-01", trainTo = "2024-12-31", validFrom = "2025-01-01" },
        model = new { kind = "gru", units = new[] { 4 } },
        training = new { epochs = 3, learningRate = 0.01 },
    };

    [Theory]
    [InlineData("""{ "kind": "standard", "per": "sku" }""", "one of 'series', 'panel'")]
    [InlineData("""{ "kind": "divide", "by": 10, "per": "series" }""", "divide uses the same 'by'")]
    [InlineData("""{ "kind": "none", "per": "panel" }""", "scaling 'none'")]
    public async Task An_unknown_or_inapplicable_scaling_per_is_a_400_naming_it(string scaling, string mentions)
    {
        var client = factory.CreateClient();
        var id = await UploadPanelAsync(client);
        var response = await client.PostAsJsonAsync("/api/training-runs", Run(id, JsonDocument.Parse(scaling).RootElement));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("scaling.per", body);
        Assert.Contains(mentions, body);
    }

    [Fact]
    public async Task A_per_series_model_reports_coverage_by_series_beside_the_pooled_figure()
    {
        var client = factory.CreateClient();
        var id = await UploadPanelAsync(client);
        var model = await client.TrainAsync(Run(id, new { kind = "standard" }));
        var validation = model.GetProperty("metrics").GetProperty("validation");
        Assert.True(validation.GetProperty("coverage").GetProperty("80").GetDouble() is >= 0 and <= 1);
        var bySeries = validation.GetProperty("coverageBySeries").GetProperty("80");
        Assert.Equal(3, bySeries.GetProperty("series").GetInt32());
        var figures = new[] { "min", "p10", "q1", "median", "q3", "p90", "max" }.Select(f => bySeries.GetProperty(f).GetDouble()).ToArray();
        Assert.Equal(figures.Order(), figures);
        Assert.True(validation.GetProperty("byTarget").GetProperty("sales").GetProperty("coverageBySeries").TryGetProperty("95", out _));

        // The zero SKU is forecast in its own scale: near zero, with a narrow band.
        var forecast = await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { series = "zero", horizon = 2 });
        var body = await forecast.ReadJsonAsync();
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, body.ToString());
        var value = body.GetProperty("points")[0].GetProperty("values").GetProperty("sales");
        Assert.InRange(value.GetProperty("mean").GetDouble(), -1, 1);
        Assert.InRange(value.GetProperty("upper").GetProperty("95").GetDouble() - value.GetProperty("lower").GetProperty("95").GetDouble(), 0, 2);
    }
}
