using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// A fraction split cuts each series of a panel in time (issue 21): every series is trained, measured and
/// forecast. Holding out whole series is the explicit <c>split.by: "series"</c>.
/// </summary>
public sealed class FractionSplitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Days = 100;

    /// <summary>Three weekly-patterned series at different levels, 100 days each.</summary>
    private static async Task<(HttpClient Client, string DatasetId)> PanelAsync(HttpClient client)
    {
        var random = new Random(5);
        object Series(string id, double level) => new
        {
            id, start = "2021-01-01",
            columns = new Dictionary<string, double[]> { ["load"] = Enumerable.Range(0, Days).Select(t => level + 10 * (t % 7) + random.NextDouble()).ToArray() },
        };
        var created = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "feeders", frequency = "D", series = new[] { Series("feeder1", 100), Series("feeder2", 200), Series("feeder3", 300) },
        })).ReadJsonAsync();
        return (client, created.Id());
    }

    public static TheoryData<string> Models => new()
    {
        """{ "kind": "seasonal_naive", "season": 7 }""",
        """{ "kind": "linear" }""",
    };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Fractions_train_measure_and_forecast_every_series_of_a_panel(string modelJson)
    {
        var (client, datasetId) = await PanelAsync(factory.CreateClient());
        var neural = !modelJson.Contains("seasonal_naive");
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "load" }, horizon = 1, windowLength = neural ? 14 : (int?)null,
            split = new { train = 0.8, valid = 0.2 }, model = JsonDocument.Parse(modelJson).RootElement,
            scaling = neural ? new { kind = "standard" } : null, training = neural ? new { epochs = 30, learningRate = 0.01, seed = 1 } : null,
        });

        // The last 20 days of each of the three series are validated, one step ahead: 60 forecasts in all.
        var validation = model.GetProperty("metrics").GetProperty("validation");
        Assert.Equal(3 * 20, validation.GetProperty("count").GetInt32());
        Assert.True(double.IsFinite(validation.GetProperty("mae").GetDouble()));

        var body = await (await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { })).ReadJsonAsync();
        var forecasts = body.GetProperty("forecasts").EnumerateArray().ToArray();
        Assert.Equal(["feeder1", "feeder2", "feeder3"], forecasts.Select(f => f.GetProperty("series").GetString()));
        Assert.All(forecasts, f => Assert.False(f.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null, f.ToString()));
        Assert.All(forecasts, f => Assert.Equal(1, f.GetProperty("points").GetArrayLength()));
        // Each series is forecast at its own level, so it was fitted on its own points (not another series' model).
        var means = forecasts.Select(f => f.GetProperty("points")[0].GetProperty("values").GetProperty("load").GetProperty("mean").GetDouble()).ToArray();
        Assert.True(means[0] < means[1] && means[1] < means[2], string.Join(", ", means));

        var one = await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { series = "feeder2" });
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
    }

    [Fact]
    public async Task By_series_holds_out_whole_series_for_a_neural_model()
    {
        var (client, datasetId) = await PanelAsync(factory.CreateClient());
        var model = await client.TrainAsync(new
        {
            datasetId, targets = new[] { "load" }, horizon = 1, windowLength = 14,
            split = new { train = 0.7, valid = 0.3, by = "series" }, model = new { kind = "linear" }, training = new { epochs = 3, seed = 1 },
        });
        // round(3 × 0.7) = 2 training series; the third is validated over all its windows: 100 − 14 = 86 targets.
        Assert.Equal(Days - 14, model.GetProperty("metrics").GetProperty("validation").GetProperty("count").GetInt32());
        Assert.Equal("series", model.GetProperty("request").GetProperty("split").GetProperty("by").GetString());
    }

    [Fact]
    public async Task By_series_is_refused_for_a_kind_that_fits_each_series_on_its_own()
    {
        var (client, datasetId) = await PanelAsync(factory.CreateClient());
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId, targets = new[] { "load" }, split = new { train = 0.7, valid = 0.3, by = "series" }, model = new { kind = "seasonal_naive", season = 7 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains("by: time", errors.GetProperty("split.by")[0].GetString());
    }

    [Fact]
    public async Task An_unknown_split_by_is_a_400_naming_the_field()
    {
        var (client, datasetId) = await PanelAsync(factory.CreateClient());
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId, targets = new[] { "load" }, split = new { train = 0.8, by = "rows" }, model = new { kind = "naive" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("split.by", await response.Content.ReadAsStringAsync());
    }
}
