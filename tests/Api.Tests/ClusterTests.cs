using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// The cluster as deployed: a private PostgreSQL, one API process and two worker processes (each one
/// statistical and one neural slot), all real processes. A worker is killed (SIGKILL) during a neural run, which the
/// other worker resumes from its checkpoint and ends with the weights of an uninterrupted twin.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    /// <summary>A run of the test: its id and the request it was queued with (to compare a resumed run with its twin).</summary>
    public sealed record ClusterRun(string Id, object Request);

    [PostgresFact]
    public async Task Twenty_mixed_runs_on_two_workers_each_succeed_exactly_once_when_a_worker_is_killed_mid_neural_run()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var connection = await postgres.CreateDatabaseAsync("cluster");
        var folder = Directory.CreateTempSubdirectory("forecasting-cluster-").FullName;
        Dictionary<string, string> Settings(string role, string name) => new()
        {
            ["Database:Provider"] = "postgres", ["ConnectionStrings:Forecasting"] = connection,
            ["role"] = role, ["Jobs:Workers"] = "1", ["Jobs:WorkerName"] = name,
            // A checkpoint after every epoch, so the killed run resumes where it was.
            ["Checkpoints:EverySeconds"] = "0",
        };
        await using var api = await ServiceProcess.StartAsync(Path.Combine(folder, "api.db"), Settings("api", "api"));
        var workers = new[]
        {
            await ServiceProcess.StartAsync(Path.Combine(folder, "w1.db"), Settings("worker", "worker-1")),
            await ServiceProcess.StartAsync(Path.Combine(folder, "w2.db"), Settings("worker", "worker-2")),
        };
        try
        {
            var client = api.Client;
            var daily = (await TestDatasets.UploadDailyAsync(client, days: 100, name: "cluster-daily")).Id();
            var synthetic = (await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "cluster-syn", count = 300, steps = 50, seed = 42 })).ReadJsonAsync()).Id();
            object Statistical(object model) => new
            {
                datasetId = daily, targets = new[] { "value" }, horizon = 7, model,
                split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11", validTo = "2020-04-09" },
            };
            object Neural(object model, int epochs) => new
            {
                datasetId = synthetic, targets = new[] { "value" }, windowLength = 30, horizon = 5, strategy = "direct",
                split = new { train = 0.7, valid = 0.2, by = "series" }, model,
                training = new { loss = "mse", optimizer = "adam", learningRate = 0.005, epochs, batchSize = 32, seed = 7 },
            };

            // The run whose worker is killed: long enough to be caught after its first epoch.
            var killed = new ClusterRun("", Neural(new { kind = "lstm", units = new[] { 16, 16 } }, epochs: 20));
            killed = killed with { Id = await QueueAsync(client, killed.Request) };
            var runs = new List<ClusterRun> { killed };
            var others = new List<object>
            {
                Statistical(new { kind = "naive" }), Statistical(new { kind = "seasonal_naive", season = 7 }),
                Statistical(new { kind = "sarima", order = new[] { 1, 0, 0 } }), Neural(new { kind = "linear" }, 3),
                Statistical(new { kind = "naive" }), Neural(new { kind = "gru", units = new[] { 8 } }, 2),
                Statistical(new { kind = "seasonal_naive", season = 7 }), Neural(new { kind = "simple_rnn", units = new[] { 8 } }, 2),
                Statistical(new { kind = "auto_sarima", season = 7 }), Neural(new { kind = "linear" }, 3),
                Statistical(new { kind = "naive" }), Neural(new { kind = "lstm", units = new[] { 8 } }, 2),
                Statistical(new { kind = "seasonal_naive", season = 7 }), Neural(new { kind = "gru", units = new[] { 8 } }, 2),
                Statistical(new { kind = "sarima", order = new[] { 0, 1, 1 } }), Neural(new { kind = "linear" }, 3),
                Statistical(new { kind = "naive" }), Neural(new { kind = "simple_rnn", units = new[] { 8 } }, 2),
                Statistical(new { kind = "auto_sarima", season = 7 }),
            };
            Assert.Equal(19, others.Count);
            // Half before the kill (some run while it happens), half after.
            foreach (var request in others.Take(10)) runs.Add(new ClusterRun(await QueueAsync(client, request), request));

            // Epoch 2 reported: the checkpoint after epoch 1 was committed before epoch 2 began.
            await WaitForEpochAsync(client, killed.Id, epoch: 2);
            var victim = workers.Single(w => w.Output.Contains($"{killed.Id} started"));
            victim.Kill();
            var watch = Stopwatch.StartNew();
            output.WriteLine($"killed {(victim == workers[0] ? "worker-1" : "worker-2")} during run {killed.Id}");
            foreach (var request in others.Skip(10)) runs.Add(new ClusterRun(await QueueAsync(client, request), request));

            var finished = new Dictionary<string, JsonElement>();
            foreach (var run in runs) finished[run.Id] = await client.WaitForRunAsync(run.Id, TimeSpan.FromMinutes(3));
            output.WriteLine($"all {runs.Count} runs finished {watch.Elapsed.TotalSeconds:0.0} s after the kill");
            var survivor = workers.Single(w => w != victim);
            foreach (var run in runs)
            {
                var result = finished[run.Id];
                Assert.True(result.GetProperty("status").GetString() == "succeeded", $"{result}\n{survivor.Output}");
                // Each start counts an attempt: a run started once, or once more only when the killed worker was running it.
                var cutShort = victim.Output.Contains($"{run.Id} started") && !victim.Output.Contains($"Training run {run.Id} succeeded");
                Assert.True(result.GetProperty("attempts").GetInt32() == (cutShort ? 2 : 1), $"{run.Id}: {result}");
            }
            Assert.Equal(2, finished[killed.Id].GetProperty("attempts").GetInt32());
            var resumedFrom = finished[killed.Id].GetProperty("progress").GetProperty("resumedFromEpoch");
            Assert.True(resumedFrom.ValueKind == JsonValueKind.Number && resumedFrom.GetInt32() >= 1, $"the killed run must resume from a checkpoint: {finished[killed.Id]}");

            // One model per run, and no other model.
            var models = await (await client.GetAsync("/api/models?take=200")).ReadJsonAsync();
            Assert.Equal(runs.Select(r => r.Id).Order(), models.EnumerateArray().Select(m => m.GetProperty("trainingRunId").GetString()!).Order());
            foreach (var run in runs) Assert.Equal(finished[run.Id].GetProperty("modelId").GetString(), models.EnumerateArray().Single(m => m.GetProperty("trainingRunId").GetString() == run.Id).Id());

            // The resumed run ends with its uninterrupted twin's weights, bit for bit, though another worker finished it.
            var twinId = await QueueAsync(client, killed.Request);
            var twin = await client.WaitForRunAsync(twinId, TimeSpan.FromMinutes(3));
            Assert.True(twin.GetProperty("status").GetString() == "succeeded", $"{twin}\n{survivor.Output}");
            var resumedWeights = await client.GetByteArrayAsync($"/api/models/{finished[killed.Id].GetProperty("modelId").GetString()}/weights");
            var twinWeights = await client.GetByteArrayAsync($"/api/models/{twin.GetProperty("modelId").GetString()}/weights");
            Assert.True(resumedWeights.AsSpan().SequenceEqual(twinWeights), "the resumed run's weights differ from its uninterrupted twin's");

            // Cancel reaches a running job on another process and stops it mid-training (latency is benchmarked, not asserted).
            var cancelled = await QueueAsync(client, Neural(new { kind = "lstm", units = new[] { 16, 16 } }, epochs: 20_000));
            await WaitForEpochAsync(client, cancelled);
            var cancelWatch = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{cancelled}/cancel", null)).StatusCode);
            var end = await client.WaitForRunAsync(cancelled, TimeSpan.FromSeconds(30));
            Assert.Equal("cancelled", end.GetProperty("status").GetString());
            Assert.True(end.GetProperty("progress").GetProperty("epoch").GetInt32() < 20_000, $"the cancelled run was not stopped mid-training: {end}");
            output.WriteLine($"cancel took {cancelWatch.Elapsed.TotalSeconds:0.00} s");
        }
        finally
        {
            foreach (var worker in workers) await worker.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> QueueAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/training-runs", request);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        return body.Id();
    }

    /// <summary>Waits until the run reports <paramref name="epoch"/> finished epochs (it is then certainly mid-training).</summary>
    private static async Task WaitForEpochAsync(HttpClient client, string runId, int epoch = 1)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await (await client.GetAsync($"/api/training-runs/{runId}")).ReadJsonAsync();
            Assert.True(run.GetProperty("status").GetString() is "queued" or "running", $"the run ended before it could be interrupted: {run}");
            if (run.GetProperty("progress").GetProperty("epoch").GetInt32() >= epoch) return;
            Assert.True(DateTime.UtcNow < deadline, $"the run never finished an epoch: {run}");
            await Task.Delay(20);
        }
    }
}
