using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// The leaderboard compares like with like: a model is ranked only against models validated on the same series,
/// period, targets and horizon; each model's series count is shown (issue 21: an 8-SKU model ranked against 200-SKU ones).
/// </summary>
public sealed class LeaderboardTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static object Run(string datasetId, string kind, string validTo = "2020-04-09", string[]? series = null) => new
    {
        datasetId, targets = new[] { "value" }, horizon = 2, series, model = new { kind },
        split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11", validTo },
    };

    [Fact]
    public async Task Models_are_ranked_in_groups_of_the_same_series_period_and_targets_each_showing_its_series_count()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadPanelAsync(client);
        var naive = (await client.TrainAsync(Run(datasetId, "naive"))).Id();
        var seasonal = (await client.TrainAsync(Run(datasetId, "seasonal_naive"))).Id();
        var oneSeries = (await client.TrainAsync(Run(datasetId, "naive", series: ["b"]))).Id();
        var shorter = (await client.TrainAsync(Run(datasetId, "seasonal_naive", validTo: "2020-03-31"))).Id();

        var response = await client.GetAsync($"/api/models/leaderboard?datasetId={datasetId}&target=value&sort=validation.mae");
        var board = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, board.ToString());
        Assert.Contains("same series", board.GetProperty("note").GetString());
        var groups = board.GetProperty("groups").EnumerateArray().ToList();
        // Newest group first; the two models on all three series and the same period share one group.
        Assert.Equal([[shorter], [oneSeries], [seasonal, naive]], groups.Select(g => g.GetProperty("models").EnumerateArray().Select(e => e.GetProperty("model").Id()).ToArray()));
        Assert.Equal([3, 1, 3], groups.Select(g => g.GetProperty("scope").GetProperty("series").GetInt32()));
        Assert.Equal(["2020-03-31", "2020-04-09", "2020-04-09"], groups.Select(g => g.GetProperty("scope").GetProperty("to").GetString()));
        Assert.All(groups, g => Assert.Equal("2020-03-11", g.GetProperty("scope").GetProperty("from").GetString()));
        Assert.All(groups, g => Assert.Equal(["value"], g.GetProperty("targets").EnumerateArray().Select(t => t.GetString())));
        var pair = groups[2].GetProperty("models").EnumerateArray().ToList();
        Assert.Equal([1, 2], pair.Select(e => e.GetProperty("rank").GetInt32()));
        var values = pair.Select(e => e.GetProperty("value").GetDouble()).ToList();
        Assert.True(values[0] < values[1], string.Join(", ", values)); // the weekly pattern: seasonal naive wins
        Assert.Equal(values, pair.Select(e => e.GetProperty("model").GetProperty("metrics").GetProperty("validation").GetProperty("byTarget").GetProperty("value").GetProperty("mae").GetDouble()));
        // Each model says how many series its figures cover.
        Assert.Equal(1, groups[1].GetProperty("models")[0].GetProperty("model").GetProperty("metrics").GetProperty("validation").GetProperty("series").GetInt32());
        Assert.Equal(3, pair[0].GetProperty("model").GetProperty("metrics").GetProperty("validationScope").GetProperty("series").GetInt32());
        Assert.NotEqual(groups[0].GetProperty("scope").GetProperty("key").GetString(), groups[2].GetProperty("scope").GetProperty("key").GetString());

        // The ranked list holds only the newest model's comparable set.
        var ranked = (await (await client.GetAsync($"/api/models?datasetId={datasetId}&target=value&sort=validation.mae")).ReadJsonAsync()).EnumerateArray().Select(m => m.Id());
        Assert.Equal([shorter], ranked);
        var bySeries = await (await client.GetAsync($"/api/models/leaderboard?datasetId={datasetId}&sort=validation.mase")).ReadJsonAsync();
        Assert.Equal(3, bySeries.GetProperty("groups").GetArrayLength());
        Assert.True(bySeries.GetProperty("groups")[2].GetProperty("models")[0].GetProperty("value").GetDouble() > 0);
    }

    [Fact]
    public async Task A_different_horizon_is_its_own_group_and_a_bad_sort_is_a_400()
    {
        var client = factory.CreateClient();
        var datasetId = await UploadPanelAsync(client);
        var two = (await client.TrainAsync(Run(datasetId, "naive"))).Id();
        var request = JsonSerializer.SerializeToNode(Run(datasetId, "naive"), ApiClientExtensions.Json)!;
        request["horizon"] = 5;
        var five = (await client.TrainAsync(request)).Id();
        var board = await (await client.GetAsync($"/api/models/leaderboard?datasetId={datasetId}")).ReadJsonAsync();
        Assert.Equal("validation.mae", board.GetProperty("sort").GetString());
        Assert.Equal([5, 2], board.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("horizon").GetInt32()));
        Assert.Equal([five, two], board.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("models")[0].GetProperty("model").Id()));
        var bad = await client.GetAsync($"/api/models/leaderboard?datasetId={datasetId}&sort=validation.accuracy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("validation.mase", await bad.Content.ReadAsStringAsync());
    }

    /// <summary>Three daily series (a, b, c) of 100 days with a weekly pattern at different levels.</summary>
    private static async Task<string> UploadPanelAsync(HttpClient client)
    {
        var random = new Random(5);
        var series = new[] { ("a", 100.0), ("b", 10.0), ("c", 1000.0) }.Select(s => new
        {
            id = s.Item1, start = "2020-01-01",
            columns = new Dictionary<string, object> { ["value"] = Enumerable.Range(0, 100).Select(t => s.Item2 * (1 + 0.2 * Math.Sin(2 * Math.PI * t / 7)) + random.NextDouble()).ToArray() },
        }).ToArray();
        var response = await client.PostAsJsonAsync("/api/datasets", new { name = "leaderboard-panel", frequency = "D", series });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.Id();
    }
}
