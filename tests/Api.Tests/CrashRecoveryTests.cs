using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>
/// The built service as a real process: SIGKILL while a run is running, start it again on the same
/// database file, and the run is executed again and completes (the run table is re-queued at start).
/// </summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task A_neural_run_killed_mid_training_completes_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-crash-");
        var database = Path.Combine(folder.FullName, "crash.db");
        string runId;
        await using (var first = await ServiceProcess.StartAsync(database))
        {
            var dataset = await (await first.Client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "syn", count = 2000, steps = 60, seed = 42 })).ReadJsonAsync();
            // The chapter's 2×LSTM(20) sequence-to-sequence model for 30 epochs: seconds of work, killed after its first epoch.
            var queued = await (await first.Client.PostAsJsonAsync("/api/training-runs", new
            {
                datasetId = dataset.Id(), targets = new[] { "value" }, windowLength = 50, horizon = 10, strategy = "seq2seq",
                split = new { train = 0.7, valid = 0.2 },
                model = new { kind = "lstm", units = new[] { 20, 20 } },
                training = new { loss = "mse", optimizer = "adam", learningRate = 0.001, epochs = 30, seed = 42 },
            })).ReadJsonAsync();
            runId = queued.Id();
            var run = await WaitForEpochAsync(first.Client, runId);
            Assert.True(run.GetProperty("status").GetString() == "running", $"the run must still be running when killed: {run}\n{first.Output}");
            first.Kill();
        }

        await using var second = await ServiceProcess.StartAsync(database);
        var finished = await second.Client.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", $"{finished}\n{second.Output}");
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        var model = await second.Client.GetFromJsonAsync<JsonElement>($"/api/models/{finished.GetProperty("modelId").GetString()}");
        Assert.Equal("lstm", model.GetProperty("kind").GetString());
        Assert.Equal(30, model.GetProperty("history").GetArrayLength()); // restarted from the beginning: all 30 epochs
        var models = await second.Client.GetFromJsonAsync<JsonElement>("/api/models");
        Assert.Equal(1, models.GetArrayLength()); // nothing half-written from the killed attempt
        try { folder.Delete(recursive: true); } catch (IOException) { }
    }

    /// <summary>Waits until the run reports a finished epoch (it is then certainly mid-training).</summary>
    private static async Task<JsonElement> WaitForEpochAsync(HttpClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}");
            if (run.GetProperty("progress").GetProperty("epoch").GetInt32() >= 1 || run.GetProperty("status").GetString() != "running" && run.GetProperty("status").GetString() != "queued") return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the run never finished an epoch: {run}");
            await Task.Delay(20);
        }
    }
}
