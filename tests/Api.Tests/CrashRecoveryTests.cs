using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>
/// The built service as a real process: SIGKILL while a neural run is running, after it saved a checkpoint, start it
/// again on the same database file, and the run resumes from its checkpoint (the run table re-queued at start, and
/// the checkpoints table) and ends with the weights of an uninterrupted twin, byte for byte.
/// </summary>
public sealed class CrashRecoveryTests
{
    /// <summary>A checkpoint after every epoch, so the kill is certainly after one.</summary>
    private static readonly Dictionary<string, string> EveryEpoch = new() { ["Checkpoints:EverySeconds"] = "0" };

    [Fact]
    public async Task A_neural_run_killed_mid_training_resumes_from_its_checkpoint_and_equals_an_uninterrupted_twin()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-crash-");
        var database = Path.Combine(folder.FullName, "crash.db");
        string runId, datasetId;
        // The chapter's 2×LSTM(20) sequence-to-sequence model with recurrent dropout (random masks) for 30 epochs: seconds of work.
        object Request(string dataset) => new
        {
            datasetId = dataset, targets = new[] { "value" }, windowLength = 50, horizon = 10, strategy = "seq2seq",
            split = new { train = 0.7, valid = 0.2, by = "series" },
            model = new { kind = "lstm", units = new[] { 20, 20 }, recurrentDropout = 0.1 },
            training = new { loss = "mse", optimizer = "adam", learningRate = 0.001, epochs = 30, patience = 5, seed = 42 },
        };
        await using (var first = await ServiceProcess.StartAsync(database, EveryEpoch))
        {
            var dataset = await (await first.Client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "syn", count = 2000, steps = 60, seed = 42 })).ReadJsonAsync();
            datasetId = dataset.Id();
            runId = (await (await first.Client.PostAsJsonAsync("/api/training-runs", Request(datasetId))).ReadJsonAsync()).Id();
            // Epoch 3 reported: the checkpoint after epoch 2 was committed before epoch 3 began.
            var run = await WaitForEpochAsync(first.Client, runId, 3);
            Assert.True(run.GetProperty("status").GetString() == "running", $"the run must still be running when killed: {run}\n{first.Output}");
            first.Kill();
        }

        await using var second = await ServiceProcess.StartAsync(database, EveryEpoch);
        var finished = await second.Client.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", $"{finished}\n{second.Output}");
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        var resumedFrom = finished.GetProperty("progress").GetProperty("resumedFromEpoch");
        Assert.True(resumedFrom.ValueKind == JsonValueKind.Number && resumedFrom.GetInt32() >= 2, $"the run must resume from a checkpoint, not epoch 1: {finished}\n{second.Output}");
        var model = await second.Client.GetFromJsonAsync<JsonElement>($"/api/models/{finished.GetProperty("modelId").GetString()}");
        Assert.Equal("lstm", model.GetProperty("kind").GetString());
        var epochs = model.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, epochs.Count), epochs); // the history spans both attempts, numbered on

        var twin = await second.Client.PostAsJsonAsync("/api/training-runs", Request(datasetId));
        var twinRun = await second.Client.WaitForRunAsync((await twin.ReadJsonAsync()).Id(), TimeSpan.FromMinutes(3));
        Assert.True(twinRun.GetProperty("status").GetString() == "succeeded", $"{twinRun}\n{second.Output}");
        Assert.Equal(1, twinRun.GetProperty("attempts").GetInt32());
        Assert.False(twinRun.GetProperty("progress").TryGetProperty("resumedFromEpoch", out var twinResumed) && twinResumed.ValueKind != JsonValueKind.Null);
        var resumedWeights = await second.Client.GetByteArrayAsync($"/api/models/{finished.GetProperty("modelId").GetString()}/weights");
        var twinWeights = await second.Client.GetByteArrayAsync($"/api/models/{twinRun.GetProperty("modelId").GetString()}/weights");
        Assert.True(resumedWeights.AsSpan().SequenceEqual(twinWeights), "the resumed run's weights differ from its uninterrupted twin's");

        var models = await second.Client.GetFromJsonAsync<JsonElement>("/api/models");
        Assert.Equal(2, models.GetArrayLength()); // nothing half-written from the killed attempt
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM checkpoints";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!); // finished runs leave no checkpoint
        }
        try { folder.Delete(recursive: true); } catch (IOException) { }
    }

    /// <summary>Waits until the run reports <paramref name="epoch"/> finished epochs (or ends).</summary>
    private static async Task<JsonElement> WaitForEpochAsync(HttpClient client, string runId, int epoch)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}");
            if (run.GetProperty("progress").GetProperty("epoch").GetInt32() >= epoch || run.GetProperty("status").GetString() != "running" && run.GetProperty("status").GetString() != "queued") return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the run never finished epoch {epoch}: {run}");
            await Task.Delay(20);
        }
    }
}
