using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>One meaning of <c>season</c> for every statistical kind (issue 17): 1 is non-seasonal, 0 reads as 1, negatives are refused.</summary>
public sealed class NonSeasonalTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static object Request(string datasetId, object model) => new
    {
        datasetId, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-03-31" }, model,
    };

    private static async Task<double[]> ForecastAsync(HttpClient client, JsonElement model)
    {
        var forecast = await (await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast",
            new { origin = "2020-03-31", horizon = 3 })).ReadJsonAsync();
        return forecast.GetProperty("points").EnumerateArray()
            .Select(p => p.GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble()).ToArray();
    }

    [Fact]
    public async Task Season_1_or_0_is_non_seasonal_in_every_kind()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "non-seasonal")).Id();

        var naive = await ForecastAsync(client, await client.TrainAsync(Request(id, new { kind = "naive" })));
        Assert.Equal(naive, await ForecastAsync(client, await client.TrainAsync(Request(id, new { kind = "seasonal_naive", season = 1 }))));
        Assert.Equal(naive, await ForecastAsync(client, await client.TrainAsync(Request(id, new { kind = "seasonal_naive", season = 0 }))));

        foreach (var season in new[] { 1, 0 })
        {
            var auto = await client.TrainAsync(Request(id, new { kind = "auto_sarima", season }));
            var chosen = auto.GetProperty("details").GetProperty("fits")[0].GetProperty("chosen").GetProperty("seasonalOrder");
            Assert.Equal([0, 0, 0, 0], chosen.EnumerateArray().Select(v => v.GetInt32()));
        }

        foreach (var kind in new[] { "seasonal_naive", "auto_sarima" })
        {
            var refused = await client.PostAsJsonAsync("/api/training-runs", Request(id, new { kind, season = -1 }));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("1 (or 0) means non-seasonal", await refused.Content.ReadAsStringAsync());
        }
    }
}
