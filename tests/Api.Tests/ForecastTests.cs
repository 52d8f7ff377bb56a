using System.Net;
using System.Net.Http.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

public sealed class ForecastTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<(HttpClient Client, string ModelId)> NaiveModelAsync()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 40, name: "forecast")).Id();
        var model = await client.TrainAsync(new { datasetId = id, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-01-31" }, model = new { kind = "naive" } });
        return (client, model.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Conformal_intervals_from_an_uncalibrated_model_are_refused_naming_both_ways_to_calibrate()
    {
        var (client, modelId) = await NaiveModelAsync();
        var response = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = 2, method = "conformal" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("method")[0].GetString();
        Assert.Contains("split.validFrom", message);
        Assert.Contains("intervals.calibration \"backtest\"", message);
    }

    [Fact]
    public async Task Default_forecast_starts_after_the_series_end_and_widens_with_the_horizon()
    {
        var (client, modelId) = await NaiveModelAsync();
        var forecast = await (await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = 5, levels = new[] { 90 } })).ReadJsonAsync();
        Assert.Equal("2020-02-09", forecast.GetProperty("origin").GetString());
        var points = forecast.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal("2020-02-10", points[0].GetProperty("timestamp").GetString());
        var widths = points.Select(p => p.GetProperty("values").GetProperty("value"))
            .Select(v => v.GetProperty("upper").GetProperty("90").GetDouble() - v.GetProperty("lower").GetProperty("90").GetDouble()).ToArray();
        for (var k = 1; k < widths.Length; k++) Assert.True(widths[k] > widths[k - 1], "naive intervals widen with the horizon");
    }

    [Fact]
    public async Task Posted_observations_extend_the_history()
    {
        var (client, modelId) = await NaiveModelAsync();
        var response = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new
        {
            horizon = 2,
            observations = new object[] { new { timestamp = "2020-02-10", value = 500.0 }, new { timestamp = "2020-02-11", value = 600.0 } },
        });
        var forecast = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, forecast.ToString());
        Assert.Equal("2020-02-11", forecast.GetProperty("origin").GetString());
        Assert.Equal(600.0, forecast.GetProperty("points")[0].GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble());
    }
}
