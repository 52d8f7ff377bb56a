using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>
/// The built service as a real process: SIGKILL while a run is running, start it again on the same
/// database file, and the run is executed again and completes (Quartz recovery plus the run table).
/// </summary>
public sealed class CrashRecoveryTests
{
    [CtaFact]
    public async Task A_run_killed_mid_training_completes_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-crash-");
        var database = Path.Combine(folder.FullName, "crash.db");
        string runId;
        await using (var first = await ServiceProcess.StartAsync(database))
        {
            var dataset = await TestDatasets.UploadCtaAsync(first.Client);
            // An order search (324 candidates) on half a year of two targets: seconds of work, long enough to be killed mid-run.
            var queued = await (await first.Client.PostAsJsonAsync("/api/training-runs", new
            {
                datasetId = dataset.Id(),
                targets = new[] { "rail", "bus" },
                split = new { trainFrom = "2018-07-01", trainTo = "2018-12-31", validFrom = "2019-01-01", validTo = "2019-02-28" },
                model = new { kind = "auto_sarima", season = 7 },
            })).ReadJsonAsync();
            runId = queued.Id();
            var run = await WaitForStatusAsync(first.Client, runId, "running");
            await Task.Delay(300);
            run = await first.Client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}");
            Assert.True(run.GetProperty("status").GetString() == "running", $"the run must still be running when killed: {run}\n{first.Output}");
            first.Kill();
        }

        await using var second = await ServiceProcess.StartAsync(database);
        var finished = await second.Client.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", $"{finished}\n{second.Output}");
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        var model = await second.Client.GetFromJsonAsync<JsonElement>($"/api/models/{finished.GetProperty("modelId").GetString()}");
        Assert.Equal("auto_sarima", model.GetProperty("kind").GetString());
        var models = await second.Client.GetFromJsonAsync<JsonElement>("/api/models");
        Assert.Equal(1, models.GetArrayLength()); // nothing half-written from the killed attempt
        try { folder.Delete(recursive: true); } catch (IOException) { }
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string runId, string status)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}");
            if (run.GetProperty("status").GetString() == status) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run never reached '{status}': {run}");
            await Task.Delay(20);
        }
    }
}
