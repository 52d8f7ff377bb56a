using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical;

namespace Forecasting.Bench;

/// <summary>
/// POST /api/forecast against the real service (Kestrel on loopback, the one-process default: API and worker in one
/// process, SQLite): a 1,000-point daily series sent inline, fitted and forecast 14 days ahead in each request, one client
/// sending requests back to back. p50/p99 latency per round (client-side, so parsing the body and the answer count),
/// medians of several rounds.
/// </summary>
public static class StatelessSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(BenchReport.Option(args, "seconds", "3")!, CultureInfo.InvariantCulture);
        var rounds = int.Parse(BenchReport.Option(args, "rounds", "5")!, CultureInfo.InvariantCulture);
        var loadBefore = LoadAverage();
        var folder = Directory.CreateTempSubdirectory("forecasting-stateless-");
        await using var service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "stateless.db"),
            new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning" });

        var values = Enumerable.Range(0, 1000).Select(t => Math.Round(1000 + 300 * Math.Sin(2 * Math.PI * t / 7) + t + 25 * Math.Sin(t * 0.37), 3)).ToArray();
        string Json(object model, bool addHistory = false) => JsonSerializer.Serialize(new
        {
            frequency = "D", horizon = 14, levels = new[] { 80, 95 }, model, addHistory,
            series = new[] { new { id = "s", start = "2022-01-01", values } },
        });
        var csv = new StringBuilder("unique_id,ds,y\n");
        for (var t = 0; t < values.Length; t++)
            csv.Append(CultureInfo.InvariantCulture, $"s,{new DateTime(2022, 1, 1).AddDays(t):yyyy-MM-dd},{values[t].ToString("R", CultureInfo.InvariantCulture)}\n");
        var sarima = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } };
        var arma = new { kind = "sarima", order = new[] { 1, 0, 1 }, seasonalOrder = new[] { 0, 1, 1, 7 } };
        var cases = new (string Name, string Path, string Body, string MediaType)[]
        {
            ("seasonal_naive", "/api/forecast", Json(new { kind = "seasonal_naive" }), "application/json"),
            ("seasonal_naive_csv", "/api/forecast?horizon=14&model=seasonal_naive&levels=80,95", csv.ToString(), "text/csv"),
            ("seasonal_naive_history", "/api/forecast", Json(new { kind = "seasonal_naive" }, addHistory: true), "application/json"),
            ("sarima", "/api/forecast", Json(sarima), "application/json"),
            ("sarima_history", "/api/forecast", Json(sarima, addHistory: true), "application/json"),
            ("sarima_arma", "/api/forecast", Json(arma), "application/json"),
            ("auto", "/api/forecast", Json(new { kind = "auto" }), "application/json"),
        };

        var report = new BenchReport("stateless", "stateless: POST /api/forecast, a 1,000-point series inline (one client, Kestrel on loopback)",
            "case", "p50 ms", "p99 ms", "server CPU ms/request", "requests/s", "rounds");
        var medians = new Dictionary<string, double>();
        var cpuMedians = new Dictionary<string, double>();
        foreach (var (name, path, body, mediaType) in cases)
        {
            await MeasureAsync(service.Client, path, body, mediaType, 1.0); // warm the JIT
            var results = new List<(double P50, double P99, double Rps, double Cpu)>();
            for (var round = 0; round < rounds; round++)
            {
                var cpu = ProcessCpuMilliseconds(service.ProcessId);
                var (p50Round, p99Round, rpsRound, count) = await MeasureAsync(service.Client, path, body, mediaType, seconds);
                results.Add((p50Round, p99Round, rpsRound, (ProcessCpuMilliseconds(service.ProcessId) - cpu) / count));
            }
            var p50 = medians[name] = BenchReport.Median(results.Select(r => r.P50));
            var p99 = BenchReport.Median(results.Select(r => r.P99));
            var rps = BenchReport.Median(results.Select(r => r.Rps));
            var cpuPerRequest = cpuMedians[name] = BenchReport.Median(results.Select(r => r.Cpu));
            report.Add(name, [name, p50.ToString("0.00", CultureInfo.InvariantCulture), p99.ToString("0.00", CultureInfo.InvariantCulture),
                cpuPerRequest.ToString("0.00", CultureInfo.InvariantCulture), rps.ToString("0", CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)],
                ("p50_ms", p50), ("p99_ms", p99), ("server_cpu_ms", cpuPerRequest), ("rps", rps));
        }
        // The fit alone, in this process: what the request costs besides it is the service's.
        foreach (var (name, spec) in new[] { ("sarima_fit_alone", new SarimaSpec(1, 0, 0, 0, 1, 1, 7)), ("sarima_arma_fit_alone", new SarimaSpec(1, 0, 1, 0, 1, 1, 7)) })
        {
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 1) SarimaEstimator.Fit(values, spec);
            var times = new List<double>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < 30; i++)
            {
                var started = Stopwatch.GetTimestamp();
                SarimaEstimator.Fit(values, spec);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var cpuPerFit = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 30;
            var median = BenchReport.Median(times);
            report.Add(name, [name, median.ToString("0.00", CultureInfo.InvariantCulture), "–", cpuPerFit.ToString("0.00", CultureInfo.InvariantCulture), "–", "30 fits"],
                ("median_ms", median), ("cpu_ms", cpuPerFit));
        }
        string Goal(string name) => $"{name} p50 {medians[name].ToString("0.0", CultureInfo.InvariantCulture)} ms ({(medians[name] <= 50 ? "met" : "not met")}, " +
            $"server CPU {cpuMedians[name].ToString("0.0", CultureInfo.InvariantCulture)} ms a request)";
        report.Note($"Goal: a 1,000-point inline series with seasonal naive or SARIMA answers in ≤ 50 ms p50 on the one-process default: {Goal("seasonal_naive")}; {Goal("sarima")}; {Goal("sarima_arma")}. " +
            "sarima is (1,0,0)(0,1,1)7 and sarima_arma (1,0,1)(0,1,1)7, fitted by exact maximum likelihood in each request; horizon 14, levels 80 and 95; _csv sends the series as unique_id,ds,y; " +
            "_fit_alone rows time SarimaEstimator.Fit on the same 1,000 values in the bench process (the CPU column is its CPU time per fit), the bulk of a SARIMA request; " +
            "_history adds the 1,000 in-sample one-step fitted values to the answer; auto is the default kind (cross-validated ETS, auto_sarima and Theta). " +
            $"{seconds} s per round, medians of {rounds} rounds; the client runs on the same {Environment.ProcessorCount} cores as the server. " +
            "Server CPU ms/request is the service process's user + system time over a round (/proc, 10 ms ticks) per request: the steadier figure when other work shares the cores. " +
            $"Load average (1 min) at start {loadBefore}, at end {LoadAverage()}.");
        report.Publish();
        return 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>A process's user + system CPU time so far (Linux /proc; clock ticks of 10 ms).</summary>
    private static double ProcessCpuMilliseconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (name) ": state is field 3, utime 14, stime 15
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static async Task<(double P50, double P99, double Rps, int Count)> MeasureAsync(HttpClient client, string path, string body, string mediaType, double seconds)
    {
        var latencies = new List<double>(1024);
        var stop = Stopwatch.StartNew();
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));
            var answer = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {answer}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var sorted = latencies.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted.Length / stop.Elapsed.TotalSeconds, sorted.Length);
    }
}
