using System.Net;
using System.Net.Http.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>Statistical jobs have their own worker slots: they never wait behind neural training.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class WorkQueueTests
{
    [Fact]
    public async Task A_seasonal_naive_run_queued_while_two_neural_runs_train_finishes_before_them_and_both_cancel_mid_training()
    {
        // Two slots per queue: both neural runs train at once, and the statistical queue still has its own.
        await using var factory = ApiFactory.With(new() { ["Jobs:Workers"] = "2" });
        var client = factory.CreateClient();
        var daily = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "queues-daily")).Id();
        var synthetic = (await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "queues-syn", count = 300, steps = 50, seed = 42 })).ReadJsonAsync()).Id();
        var neural = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var queued = await (await client.PostAsJsonAsync("/api/training-runs", new
            {
                datasetId = synthetic, targets = new[] { "value" }, windowLength = 30, horizon = 5, strategy = "direct",
                split = new { train = 0.7, valid = 0.2, by = "series" }, model = new { kind = "lstm", units = new[] { 32, 32 } },
                training = new { epochs = 20_000, seed = i },
            })).ReadJsonAsync();
            neural.Add(queued.Id());
        }
        foreach (var id in neural) await WaitUntilTrainingAsync(client, id);

        // 20,000 epochs keep both neural runs busy for far longer than the 30 s wait: if the statistical
        // run waited for a neural slot it would time out. Behaviour is asserted, not speed (that is benchmarked).
        var naive = await (await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = daily, targets = new[] { "value" }, horizon = 7, model = new { kind = "seasonal_naive", season = 7 },
            split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11", validTo = "2020-04-09" },
        })).ReadJsonAsync();
        var run = await client.WaitForRunAsync(naive.Id(), TimeSpan.FromSeconds(30));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        foreach (var id in neural)
        {
            var status = (await (await client.GetAsync($"/api/training-runs/{id}")).ReadJsonAsync()).GetProperty("status").GetString();
            Assert.Equal("running", status);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{id}/cancel", null)).StatusCode);
            var cancelled = await client.WaitForRunAsync(id, TimeSpan.FromSeconds(30));
            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            var epoch = cancelled.GetProperty("progress").GetProperty("epoch").GetInt32();
            Assert.True(epoch < 20_000, $"the cancelled run reports epoch {epoch}: it was not stopped mid-training");
        }
    }

    private static async Task WaitUntilTrainingAsync(HttpClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await (await client.GetAsync($"/api/training-runs/{runId}")).ReadJsonAsync();
            if (run.GetProperty("progress").GetProperty("epoch").GetInt32() >= 1) return;
            Assert.True(DateTime.UtcNow < deadline, $"the run never finished an epoch: {run}");
            await Task.Delay(20);
        }
    }
}
