using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Bench;

/// <summary>
/// The job engine, as real processes on loopback: enqueue-to-start latency of a trivial (naive) run, read from
/// the run's own createdAt/startedAt; trivial runs per second (N queued at once by 8 clients, until all have
/// succeeded); a statistical run's wait while neural runs train, and the time a cancel takes to stop a running
/// neural run (the issue's 3 s and 2 s goals, kept here rather than in timed tests); and recovery after kill -9 of the worker running a neural run, until the run is running again.
/// Modes: one process on SQLite (the in-memory queue; recovery includes starting the process again) and the
/// PostgreSQL cluster (API + two workers; recovery is another worker taking the run up).
/// </summary>
public static class JobsSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var latencyRuns = int.Parse(BenchReport.Option(args, "latency-runs", "30")!);
        var jobs = int.Parse(BenchReport.Option(args, "jobs", "200")!);
        var report = new BenchReport("jobs", "jobs: enqueue-to-start latency, trivial jobs per second, recovery after kill -9 of a worker",
            "mode", "statistical slots", "enqueue→start p50 ms", "p95 ms", "trivial jobs/s", "naive behind neural s", "cancel s", "recovery after kill -9 s");
        // Job lifecycle lines stay on: the cluster's recovery row finds the worker to kill by them.
        var quiet = new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning", ["Serilog:MinimumLevel:Override:Forecasting.Api.Jobs"] = "Information" };

        var folder = Directory.CreateTempSubdirectory("forecasting-jobs-").FullName;
        var database = Path.Combine(folder, "jobs.db");
        var single = await ServiceProcess.StartAsync(database, quiet);
        try
        {
            var (p50, p95, rate) = await MeasureQueueAsync(single.Client, latencyRuns, jobs);
            var (behind, cancel) = await MeasureContentionAsync(single.Client);
            var recovery = await MeasureRecoveryAsync(single.Client, async _ =>
            {
                single.Kill();
                var started = Stopwatch.StartNew();
                await single.DisposeAsync();
                single = await ServiceProcess.StartAsync(database, quiet);
                return (started, single.Client);
            });
            report.Add("one_process", ["one process, SQLite + in-memory queue", "1", p50.ToString("0.0"), p95.ToString("0.0"), rate.ToString("0.0"),
                    behind.ToString("0.00"), cancel.ToString("0.00"), recovery.ToString("0.0")],
                ("p50_ms", p50), ("p95_ms", p95), ("jobs_per_s", rate), ("behind_neural_s", behind), ("cancel_s", cancel), ("recovery_s", recovery));
        }
        finally
        {
            await single.DisposeAsync();
        }

        if (PrivatePostgres.Unavailable() is { } reason) report.Note($"Cluster not measured: {reason}");
        else
        {
            await using var postgres = await PrivatePostgres.StartAsync();
            var connection = await postgres.CreateDatabaseAsync("jobs");
            Dictionary<string, string> Settings(string role, string name) => new(quiet)
            {
                ["Database:Provider"] = "postgres", ["ConnectionStrings:Forecasting"] = connection, ["role"] = role, ["Jobs:Workers"] = "1", ["Jobs:WorkerName"] = name,
            };
            await using var api = await ServiceProcess.StartAsync(Path.Combine(folder, "api.db"), Settings("api", "api"));
            var workers = new[]
            {
                await ServiceProcess.StartAsync(Path.Combine(folder, "w1.db"), Settings("worker", "w1")),
                await ServiceProcess.StartAsync(Path.Combine(folder, "w2.db"), Settings("worker", "w2")),
            };
            try
            {
                var (p50, p95, rate) = await MeasureQueueAsync(api.Client, latencyRuns, jobs);
                var (behind, cancel) = await MeasureContentionAsync(api.Client);
                var recovery = await MeasureRecoveryAsync(api.Client, runId =>
                {
                    workers.Single(w => w.Output.Contains($"{runId} started")).Kill();
                    return Task.FromResult((Stopwatch.StartNew(), api.Client));
                });
                report.Add("cluster", ["PostgreSQL cluster, API + 2 workers", "2", p50.ToString("0.0"), p95.ToString("0.0"), rate.ToString("0.0"),
                        behind.ToString("0.00"), cancel.ToString("0.00"), recovery.ToString("0.0")],
                    ("p50_ms", p50), ("p95_ms", p95), ("jobs_per_s", rate), ("behind_neural_s", behind), ("cancel_s", cancel), ("recovery_s", recovery));
            }
            finally
            {
                foreach (var worker in workers) await worker.DisposeAsync();
            }
        }
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }

        report.Note($"Latency: {latencyRuns} naive runs queued one after another, startedAt − createdAt of each (server clocks, same machine). " +
            $"Throughput: {jobs} naive runs on a 60-day series queued by 8 concurrent clients, from the first request until all have succeeded " +
            "(each job is a real run: it reads the dataset, fits, and writes a model in one transaction). Behind neural: two LSTM runs queued " +
            "(training in every neural slot), then 5 seasonal-naive runs one after another, submit → succeeded, median (goal < 3 s). Cancel: " +
            "cancel request → the running LSTM run reads cancelled, median over the running ones (goal < 2 s). Recovery: kill -9 of the worker during " +
            "an LSTM run, after its first epoch, until the run is running again (one process: includes starting the process; cluster: PostgreSQL's " +
            "invisibility timeout of 30 s after the dead worker's last heartbeat). Jobs:Workers = 1 slot per queue per worker. " +
            $"Load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (the machine is shared).");
        report.Publish();
        return 0;
    }

    private static async Task<(double P50, double P95, double Rate)> MeasureQueueAsync(HttpClient client, int latencyRuns, int jobs)
    {
        var latencyDataset = await UploadDailyAsync(client, "latency");
        await WaitAsync(client, await QueueAsync(client, NaiveRequest(latencyDataset))); // warm up
        var latencies = new List<double>();
        for (var i = 0; i < latencyRuns; i++)
        {
            var run = await WaitAsync(client, await QueueAsync(client, NaiveRequest(latencyDataset)));
            latencies.Add((run.GetProperty("startedAt").GetDateTimeOffset() - run.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds);
        }
        latencies.Sort();

        var batchDataset = await UploadDailyAsync(client, "throughput");
        var watch = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= jobs) await QueueAsync(client, NaiveRequest(batchDataset));
        }));
        while (true)
        {
            var done = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs?datasetId={batchDataset}&status=succeeded&take=200");
            if (done.GetArrayLength() >= Math.Min(jobs, 200)) break;
            await Task.Delay(25);
        }
        var rate = jobs / watch.Elapsed.TotalSeconds;
        return (BenchReport.Median(latencies), latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1], rate);
    }

    /// <summary>Seconds a seasonal-naive run takes while LSTM runs fill the neural slots, and a cancel of a running LSTM run takes.</summary>
    private static async Task<(double Behind, double Cancel)> MeasureContentionAsync(HttpClient client)
    {
        var synthetic = (await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "contention", count = 300, steps = 50, seed = 42 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var neural = new List<string>();
        for (var i = 0; i < 2; i++)
            neural.Add(await QueueAsync(client, new
            {
                datasetId = synthetic, targets = new[] { "value" }, windowLength = 30, horizon = 5, strategy = "direct",
                split = new { train = 0.7, valid = 0.2, by = "series" }, model = new { kind = "lstm", units = new[] { 32, 32 } }, training = new { epochs = 20_000, seed = i },
            }));
        async Task<JsonElement> RunAsync(string id) => await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{id}");
        while ((await RunAsync(neural[0])).GetProperty("progress").GetProperty("epoch").GetInt32() < 1) await Task.Delay(20);

        var daily = await UploadDailyAsync(client, "contention-daily");
        var behind = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await WaitAsync(client, await QueueAsync(client, new
            {
                datasetId = daily, targets = new[] { "value" }, model = new { kind = "seasonal_naive", season = 7 }, split = new { trainFrom = "2022-01-01", trainTo = "2022-02-19" },
            }));
            behind.Add(watch.Elapsed.TotalSeconds);
        }

        var cancels = new List<double>();
        foreach (var id in neural)
        {
            var running = (await RunAsync(id)).GetProperty("status").GetString() == "running";
            var watch = Stopwatch.StartNew();
            await client.PostAsync($"/api/training-runs/{id}/cancel", null);
            while ((await RunAsync(id)).GetProperty("status").GetString() != "cancelled")
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException($"run {id} was not cancelled");
                await Task.Delay(10);
            }
            if (running) cancels.Add(watch.Elapsed.TotalSeconds);
        }
        return (BenchReport.Median(behind), BenchReport.Median(cancels));
    }

    /// <summary>Kills the worker running a neural run (after its first epoch); seconds until the run is running again.</summary>
    private static async Task<double> MeasureRecoveryAsync(HttpClient client, Func<string, Task<(Stopwatch Since, HttpClient Client)>> kill)
    {
        var dataset = (await (await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "recovery", count = 300, steps = 50, seed = 42 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var id = await QueueAsync(client, new
        {
            datasetId = dataset, targets = new[] { "value" }, windowLength = 30, horizon = 5, strategy = "direct",
            split = new { train = 0.7, valid = 0.2, by = "series" }, model = new { kind = "lstm", units = new[] { 32, 32 } }, training = new { epochs = 20_000 },
        });
        while ((await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{id}")).GetProperty("progress").GetProperty("epoch").GetInt32() < 1) await Task.Delay(20);
        var (since, after) = await kill(id);
        while (true)
        {
            var run = await after.GetFromJsonAsync<JsonElement>($"/api/training-runs/{id}");
            if (run.GetProperty("attempts").GetInt32() >= 2 && run.GetProperty("status").GetString() == "running") break;
            if (since.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"the run was not taken up again: {run}");
            await Task.Delay(50);
        }
        var seconds = since.Elapsed.TotalSeconds;
        await after.PostAsync($"/api/training-runs/{id}/cancel", null);
        return seconds;
    }

    private static object NaiveRequest(string datasetId) => new
    {
        datasetId, targets = new[] { "value" }, model = new { kind = "naive" }, split = new { trainFrom = "2022-01-01", trainTo = "2022-02-19" },
    };

    private static async Task<string> UploadDailyAsync(HttpClient client, string name)
    {
        var values = Enumerable.Range(0, 60).Select(t => 100 + 30 * Math.Sin(2 * Math.PI * t / 7) + t).ToArray();
        var created = await client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = new[] { new { id = "s", start = "2022-01-01", columns = new Dictionary<string, double[]> { ["value"] = values } } },
        });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> QueueAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/training-runs", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string id)
    {
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{id}");
            if (run.GetProperty("status").GetString() == "succeeded") return run;
            if (run.GetProperty("status").GetString() is "failed" or "cancelled") throw new InvalidOperationException(run.ToString());
            await Task.Delay(5);
        }
    }
}
