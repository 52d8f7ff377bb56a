using System.Net;
using System.Net.Http.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

public sealed class KnownFutureAndCoverageTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_known_future_model_needs_the_future_values_to_forecast_past_the_data()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 200, name: "weekly")).Id();
        var model = await client.TrainAsync(new
        {
            datasetId = id, targets = new[] { "value" }, knownFuture = new[] { "day_type" }, windowLength = 14, horizon = 3,
            split = new { trainFrom = "2020-01-01", trainTo = "2020-05-31", validFrom = "2020-06-01" },
            scaling = new { kind = "standard" },
            model = new { kind = "simple_rnn", units = new[] { 8 } },
            training = new { epochs = 3, optimizer = "adam", learningRate = 0.01 },
        });
        var modelId = model.Id();
        var features = model.GetProperty("details").GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToArray();
        // A direct model (the default) forecasts the 3 steps in one pass: it reads the day types of all three.
        Assert.Equal(["value", "next_day_type_A", "next_day_type_W", "next2_day_type_A", "next2_day_type_W", "next3_day_type_A", "next3_day_type_W"], features);

        var missing = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { horizon = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("future", await missing.Content.ReadAsStringAsync());

        var withFuture = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new
        {
            horizon = 3,
            future = new object[] { new { timestamp = "2020-07-19", day_type = "A" }, new { timestamp = "2020-07-20", day_type = "W" }, new { timestamp = "2020-07-21", day_type = "W" } },
        });
        var body = await withFuture.ReadJsonAsync();
        Assert.True(withFuture.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("2020-07-19", body.GetProperty("points")[0].GetProperty("timestamp").GetString());

        var wrongCategory = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new
        {
            horizon = 1, future = new object[] { new { timestamp = "2020-07-19", day_type = "holiday" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCategory.StatusCode);
        Assert.Contains("future[0].day_type", await wrongCategory.Content.ReadAsStringAsync());

        // Inside the data the stored covariates are used.
        var inside = await client.PostAsJsonAsync($"/api/models/{modelId}/forecast", new { origin = "2020-06-30", horizon = 3 });
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
    }

    [Fact]
    public async Task Ninety_percent_intervals_cover_about_ninety_percent_of_later_values()
    {
        // AR(1) with Gaussian noise: a linear model learns it, and its residual-based intervals should be calibrated.
        var random = new Random(11);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var values = new double[1400];
        for (var t = 1; t < values.Length; t++) values[t] = 0.8 * values[t - 1] + Gaussian();
        var client = factory.CreateClient();
        var created = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "ar1", frequency = "steps",
            series = new[] { new { id = "ar", start = 0, columns = new Dictionary<string, double[]> { ["y"] = values } } },
        })).ReadJsonAsync();
        var model = await client.TrainAsync(new
        {
            datasetId = created.Id(), targets = new[] { "y" }, windowLength = 5, horizon = 1,
            split = new { trainFrom = "0", trainTo = "799", validFrom = "800", validTo = "1099" },
            model = new { kind = "linear" },
            training = new { loss = "mse", optimizer = "adam", learningRate = 0.01, epochs = 30, patience = 5 },
        });
        var covered = 0;
        const int origins = 200;
        for (var origin = 1100; origin < 1100 + origins; origin++)
        {
            var forecast = await (await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { origin = origin.ToString(), horizon = 1, levels = new[] { 90 } })).ReadJsonAsync();
            var v = forecast.GetProperty("points")[0].GetProperty("values").GetProperty("y");
            var actual = values[origin + 1];
            if (actual >= v.GetProperty("lower").GetProperty("90").GetDouble() && actual <= v.GetProperty("upper").GetProperty("90").GetDouble()) covered++;
        }
        var coverage = covered / (double)origins;
        Assert.InRange(coverage, 0.84, 0.96); // ±3 binomial standard deviations around 0.90 at n = 200
    }
}
