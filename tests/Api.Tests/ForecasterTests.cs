using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

public sealed class ForecasterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static async Task<string> TrainAsync(HttpClient client, string datasetId, object model) => (await client.TrainAsync(new
    {
        datasetId, targets = new[] { "value" }, horizon = 2,
        split = new { trainFrom = "2020-01-01", trainTo = "2020-05-31", validFrom = "2020-06-01" },
        model,
    })).Id();

    [Fact]
    public async Task A_forecaster_serves_its_active_model_and_records_promotion_and_rollback()
    {
        var client = factory.CreateClient();
        var datasetId = (await TestDatasets.UploadDailyAsync(client, days: 200, name: "named")).Id();
        var naive = await TrainAsync(client, datasetId, new { kind = "naive" });
        var seasonal = await TrainAsync(client, datasetId, new { kind = "seasonal_naive", season = 7 });

        var created = await client.PostAsJsonAsync("/api/forecasters", new { name = "value-daily", modelId = naive });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var duplicate = await client.PostAsJsonAsync("/api/forecasters", new { name = "value-daily", modelId = naive });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        async Task<double> MeanAsync(string path)
        {
            var body = await (await client.PostAsJsonAsync(path, new { horizon = 1 })).ReadJsonAsync();
            return body.GetProperty("points")[0].GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble();
        }
        Assert.Equal(await MeanAsync($"/api/models/{naive}/forecast"), await MeanAsync("/api/forecasters/value-daily/forecast"));

        var promoted = await client.PostAsJsonAsync("/api/forecasters/value-daily/promote", new { modelId = seasonal, reason = "weekly pattern" });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(await MeanAsync($"/api/models/{seasonal}/forecast"), await MeanAsync("/api/forecasters/value-daily/forecast"));

        var rolledBack = await (await client.PostAsJsonAsync("/api/forecasters/value-daily/rollback", new { reason = "bad week" })).ReadJsonAsync();
        Assert.Equal(naive, rolledBack.GetProperty("activeModelId").GetString());
        Assert.Equal(await MeanAsync($"/api/models/{naive}/forecast"), await MeanAsync("/api/forecasters/value-daily/forecast"));

        var shown = await (await client.GetAsync("/api/forecasters/value-daily")).ReadJsonAsync();
        var history = shown.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal(["rollback", "promote", "create"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal("bad week", history[0].GetProperty("reason").GetString());
        Assert.Equal(seasonal, history[0].GetProperty("previousModelId").GetString());
        Assert.Equal("weekly pattern", history[1].GetProperty("reason").GetString());

        // Nothing before the first model: a second rollback is a 409.
        var again = await client.PostAsJsonAsync("/api/forecasters/value-daily/rollback", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_model_a_forecaster_serves_is_not_deleted_from_under_it_and_a_cascade_takes_the_forecaster_along()
    {
        var client = factory.CreateClient();
        var datasetId = (await TestDatasets.UploadDailyAsync(client, days: 200, name: "served")).Id();
        var naive = await TrainAsync(client, datasetId, new { kind = "naive" });
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/forecasters", new { name = "served-daily", modelId = naive })).StatusCode);

        var refused = await client.DeleteAsync($"/api/models/{naive}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("'served-daily'", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/forecasters/served-daily/forecast", new { horizon = 1 })).StatusCode);

        var datasetRefused = await client.DeleteAsync($"/api/datasets/{datasetId}");
        Assert.Equal(HttpStatusCode.Conflict, datasetRefused.StatusCode);
        Assert.Contains("1 forecaster(s)", (await datasetRefused.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{datasetId}?cascade=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/forecasters/served-daily")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_give_one_forecaster_and_409s_never_a_500()
    {
        var client = factory.CreateClient();
        var datasetId = (await TestDatasets.UploadDailyAsync(client, days: 200, name: "race")).Id();
        var naive = await TrainAsync(client, datasetId, new { kind = "naive" });
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync("/api/forecasters", new { name = "raced", modelId = naive })));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
    }

    [Fact]
    public async Task Bad_requests_name_the_field_and_unknown_names_are_404()
    {
        var client = factory.CreateClient();
        var bad = await client.PostAsJsonAsync("/api/forecasters", new { name = "has space" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("name", problem);
        Assert.Contains("modelId", problem);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/forecasters/nobody/forecast", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/forecasters/nobody")).StatusCode);
    }
}
