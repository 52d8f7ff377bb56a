using System.Net;
using System.Net.Http.Json;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Tests;

public sealed class TrainingRunTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_run_goes_from_queued_to_succeeded_with_progress_and_a_model()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 120)).Id();
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = id, targets = new[] { "value" }, horizon = 3,
            split = new { trainFrom = "2020-01-01", trainTo = "2020-03-31", validFrom = "2020-04-01" },
            model = new { kind = "seasonal_naive" },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadJsonAsync();
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal($"/api/training-runs/{queued.Id()}", response.Headers.Location?.OriginalString);

        var run = await client.WaitForRunAsync(queued.Id());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("progress").GetProperty("epoch").GetInt32());
        Assert.Equal(1, run.GetProperty("attempts").GetInt32());
        var model = await (await client.GetAsync($"/api/models/{run.GetProperty("modelId").GetString()}")).ReadJsonAsync();
        var validation = model.GetProperty("metrics").GetProperty("validation");
        Assert.Equal(3, validation.GetProperty("perHorizon").GetArrayLength());
        Assert.True(validation.GetProperty("mae").GetDouble() > 0);
        Assert.Equal("seasonal_naive", model.GetProperty("request").GetProperty("model").GetProperty("kind").GetString());
        var weights = await client.GetAsync($"/api/models/{model.Id()}/weights");
        Assert.Equal(HttpStatusCode.Conflict, weights.StatusCode);
        var second = await client.PostAsync($"/api/training-runs/{queued.Id()}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_queued_run_ends_it_cancelled_and_leaves_no_model()
    {
        await using var queueOnly = ApiFactory.With(new() { ["role"] = "api" }); // no worker: the run stays queued
        var client = queueOnly.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 30)).Id();
        var queued = await (await client.PostAsJsonAsync("/api/training-runs", new { datasetId = id, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-01-20" }, model = new { kind = "naive" } })).ReadJsonAsync();
        var cancel = await client.PostAsync($"/api/training-runs/{queued.Id()}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var run = await (await client.GetAsync($"/api/training-runs/{queued.Id()}")).ReadJsonAsync();
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal(0, await queueOnly.QueryAsync(db => db.Models.CountAsync()));
    }

    [Fact]
    public async Task Unknown_runs_and_models_are_404_problems()
    {
        var client = factory.CreateClient();
        foreach (var path in new[] { $"/api/training-runs/{Guid.NewGuid()}", $"/api/models/{Guid.NewGuid()}", $"/api/models/{Guid.NewGuid()}/weights", $"/api/datasets/{Guid.NewGuid()}" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
