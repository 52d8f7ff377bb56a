using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Bench;

/// <summary>
/// Forecast requests against the real service (Kestrel on loopback, a separate process) at 1, 16 and 128
/// concurrent clients: p50/p99 latency and requests per second, medians of several rounds. The client
/// runs on the same 2 cores as the server, so these are lower bounds of what the server alone can do.
/// </summary>
public static class ServeSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(BenchReport.Option(args, "seconds", "4")!);
        var rounds = int.Parse(BenchReport.Option(args, "rounds", "3")!);
        var levels = (BenchReport.Option(args, "clients", "1,16,128")!).Split(',').Select(int.Parse).ToArray();
        var folder = Directory.CreateTempSubdirectory("forecasting-serve-");
        await using var service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "serve.db"),
            new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning" });
        var client = service.Client;

        var naivePath = $"/api/models/{await TrainAsync(client, NaiveRequest(await UploadDailyAsync(client)))}/forecast";
        var lstmPath = $"/api/models/{await TrainAsync(client, LstmRequest(await UploadSyntheticAsync(client)))}/forecast";
        const string naivePayload = """{ "horizon": 7, "levels": [80, 95] }""";
        const string lstmPayload = """{ "series": "0", "horizon": 10, "levels": [80, 95] }""";

        var report = new BenchReport("serve", "serve: forecast requests against Kestrel on loopback",
            "model", "clients", "p50 ms", "p99 ms", "requests/s", "rounds");
        foreach (var (name, path, payload, clientCounts) in new[] { ("naive", naivePath, naivePayload, levels), ("lstm", lstmPath, lstmPayload, [16]) })
        {
            await MeasureAsync(service.BaseAddress, path, payload, 4, 1.0); // warm the JIT, the model and dataset caches
            foreach (var clients in clientCounts)
            {
                var results = new List<(double P50, double P99, double Rps)>();
                for (var round = 0; round < rounds; round++) results.Add(await MeasureAsync(service.BaseAddress, path, payload, clients, seconds));
                var p50 = BenchReport.Median(results.Select(r => r.P50));
                var p99 = BenchReport.Median(results.Select(r => r.P99));
                var rps = BenchReport.Median(results.Select(r => r.Rps));
                report.Add($"{name}_c{clients}", [name, clients.ToString(), p50.ToString("0.000"), p99.ToString("0.000"), rps.ToString("0"), rounds.ToString()],
                    ("p50_ms", p50), ("p99_ms", p99), ("rps", rps));
            }
        }
        report.Note($"Goals: seasonal naive p99 < 5 ms at 16 clients and > 5,000 requests/s; a stored 2×LSTM(20) model p99 < 5 ms at 16 clients. " +
            $"{seconds} s per round, medians of {rounds} rounds; the load generator (HttpClient) runs on the same {Environment.ProcessorCount} cores as the server. " +
            $"Load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
        report.Publish();
        return 0;
    }

    private static object NaiveRequest(string datasetId) => new
    {
        datasetId, targets = new[] { "value" }, split = new { trainFrom = "2022-01-01", trainTo = "2023-06-30" }, model = new { kind = "seasonal_naive" },
    };

    private static object LstmRequest(string datasetId) => new
    {
        datasetId, targets = new[] { "value" }, windowLength = 50, horizon = 10, strategy = "seq2seq", split = new { train = 0.8, valid = 0.2 },
        model = new { kind = "lstm", units = new[] { 20, 20 } }, training = new { loss = "mse", optimizer = "adam", epochs = 2 },
    };

    private static async Task<string> UploadDailyAsync(HttpClient client)
    {
        var values = Enumerable.Range(0, 730).Select(t => 1000 + 300 * Math.Sin(2 * Math.PI * t / 7) + t).ToArray();
        var created = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "serve", frequency = "D",
            series = new[] { new { id = "s", start = "2022-01-01", columns = new Dictionary<string, double[]> { ["value"] = values } } },
        });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> UploadSyntheticAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "serve-lstm", count = 1000, steps = 60, seed = 42 });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> TrainAsync(HttpClient client, object request)
    {
        var run = await (await client.PostAsJsonAsync("/api/training-runs", request)).Content.ReadFromJsonAsync<JsonElement>();
        while (true)
        {
            var state = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{run.GetProperty("id").GetString()}");
            if (state.GetProperty("status").GetString() == "succeeded") return state.GetProperty("modelId").GetString()!;
            if (state.GetProperty("status").GetString() is "failed" or "cancelled") throw new InvalidOperationException(state.ToString());
            await Task.Delay(50);
        }
    }

    private static async Task<(double P50, double P99, double Rps)> MeasureAsync(Uri address, string path, string payload, int clients, double seconds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = address };
        var latencies = new List<double>[clients];
        var stop = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, clients).Select(async i =>
        {
            var mine = latencies[i] = new List<double>(4096);
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(path, new StringContent(payload, System.Text.Encoding.UTF8, "application/json"));
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"forecast answered {(int)response.StatusCode}");
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], all.Length / elapsed);
    }
}
