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

        var modelId = await TrainNaiveAsync(client);
        var body = JsonContent.Create(new { horizon = 7, levels = new[] { 80, 95 } });
        var payload = await body.ReadAsStringAsync();
        var path = $"/api/models/{modelId}/forecast";

        var report = new BenchReport("serve", "serve: forecast requests against Kestrel on loopback (seasonal naive, 7 steps, 2 levels)",
            "clients", "p50 ms", "p99 ms", "requests/s", "rounds");
        await MeasureAsync(service.BaseAddress, path, payload, 4, 1.0); // warm the JIT, the model and dataset caches
        foreach (var clients in levels)
        {
            var results = new List<(double P50, double P99, double Rps)>();
            for (var round = 0; round < rounds; round++) results.Add(await MeasureAsync(service.BaseAddress, path, payload, clients, seconds));
            var p50 = BenchReport.Median(results.Select(r => r.P50));
            var p99 = BenchReport.Median(results.Select(r => r.P99));
            var rps = BenchReport.Median(results.Select(r => r.Rps));
            report.Add($"naive_c{clients}", [clients.ToString(), p50.ToString("0.000"), p99.ToString("0.000"), rps.ToString("0"), rounds.ToString()],
                ("p50_ms", p50), ("p99_ms", p99), ("rps", rps));
        }
        report.Note($"Goals: p99 < 5 ms at 16 clients and > 5,000 requests/s. {seconds} s per round; client and server share the machine's {Environment.ProcessorCount} cores.");
        report.Publish();
        return 0;
    }

    private static async Task<string> TrainNaiveAsync(HttpClient client)
    {
        var values = Enumerable.Range(0, 730).Select(t => 1000 + 300 * Math.Sin(2 * Math.PI * t / 7) + t).ToArray();
        var dataset = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "serve", frequency = "D",
            series = new[] { new { id = "s", start = "2022-01-01", columns = new Dictionary<string, double[]> { ["value"] = values } } },
        })).Content.ReadFromJsonAsync<JsonElement>();
        var run = await (await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = dataset.GetProperty("id").GetString(), targets = new[] { "value" },
            split = new { trainFrom = "2022-01-01", trainTo = "2023-06-30" }, model = new { kind = "seasonal_naive" },
        })).Content.ReadFromJsonAsync<JsonElement>();
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
