using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Tests.Shared;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Bench;

/// <summary>
/// Forecasting a fleet: the chapter's synthetic panel (10,000 series × 200 steps by default) trained over HTTP with
/// seasonal naive (season 7) and SARIMA(1,0,0)(0,1,1,7), then, from a fresh service process, one series' forecast
/// (sequential requests over distinct series: p50, p99, and the first request, which loads the dataset and the model)
/// and the whole fleet as CSV (14 steps, 80 and 95% intervals; medians of several runs), with the forecasting process's
/// peak RSS. Each model is measured stored per series (as trained) and as the same fits stored whole (the layout before
/// per-series state), each layout in its own process. Options: --series N, --steps N, --requests N, --rounds N,
/// --sarima false (seasonal naive only), --train-only true (each model trained in a fresh process whose peak RSS is
/// reported, no forecasting; --series may then list several panel sizes: 10000,100000).
/// </summary>
public static class FleetSuite
{
    private const int Horizon = 14;
    private const string CsvPayload = """{ "horizon": 14, "levels": [80, 95] }""";

    public static async Task<int> RunAsync(string[] args)
    {
        var counts = BenchReport.Option(args, "series", "10000")!.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var count = counts[0];
        var steps = int.Parse(BenchReport.Option(args, "steps", "200")!, CultureInfo.InvariantCulture);
        var requests = int.Parse(BenchReport.Option(args, "requests", "200")!, CultureInfo.InvariantCulture);
        var rounds = int.Parse(BenchReport.Option(args, "rounds", "5")!, CultureInfo.InvariantCulture);
        var sarima = BenchReport.Option(args, "sarima", "true") == "true";
        var folder = Directory.CreateTempSubdirectory("forecasting-fleet-");
        var database = Path.Combine(folder.FullName, "fleet.db");
        var settings = new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning" };
        if (BenchReport.Option(args, "train-only", "false") == "true")
        {
            var trainReport = new BenchReport("fleet-train", $"fleet: training a panel of {steps}-step series, the worker's peak RSS",
                "model", "series", "train s", "peak RSS MB", "RSS before training MB");
            foreach (var n in counts) await TrainOnlyAsync(trainReport, Path.Combine(folder.FullName, $"fleet-{n}.db"), settings, n, steps, sarima);
            trainReport.Note($"Goal: a 100,000-series × 200-step panel trains with the worker's peak RSS ≤ 1.5 GB. Each model in a fresh service process " +
                $"(its in-process worker), training split 0.9, validation 0.1 (conformal intervals); peak RSS is the process's VmHWM, the dataset's load included. " +
                $"{Environment.ProcessorCount} cores; load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
            trainReport.Publish();
            folder.Delete(recursive: true);
            return 0;
        }

        var report = new BenchReport("fleet", $"fleet: forecasting a {count:N0}-series × {steps}-step panel",
            "model", "layout", "train s", "first request ms", "one series p50 ms", "p99 ms", "CPU ms/request", $"fleet CSV ({count:N0} × {Horizon}) s", "CSV CPU s", "CSV MB", "peak RSS MB");

        // Training, in its own process (its memory is not the forecasting process's).
        var models = new List<(string Name, Guid Id, double TrainSeconds)>();
        await using (var service = await ServiceProcess.StartAsync(database, settings))
        {
            var created = await (await service.Client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "fleet", count, steps, seed = 42 })).Content.ReadFromJsonAsync<JsonElement>();
            var dataset = created.GetProperty("id").GetString()!;
            var kinds = new List<(string, object)> { ("seasonal_naive", new { kind = "seasonal_naive", season = 7 }) };
            if (sarima) kinds.Add(("sarima (1,0,0)(0,1,1,7)", new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } }));
            foreach (var (name, model) in kinds)
            {
                var watch = Stopwatch.StartNew();
                var id = await TrainAsync(service.Client, new { datasetId = dataset, targets = new[] { "value" }, horizon = Horizon, split = new { train = 0.9, valid = 0.1 }, model });
                models.Add((name, id, watch.Elapsed.TotalSeconds));
                Console.WriteLine($"trained {name} in {watch.Elapsed.TotalSeconds:0.0} s (training process peak RSS so far {PeakRssMb(service.ProcessId):0} MB)");
            }
        }

        // The same fits stored whole, as models were before per-series state: new model rows, so no cache is shared.
        var whole = models.Select(m => (m.Name, Id: StoreWhole(database, m.Id), m.TrainSeconds)).ToList();

        foreach (var (layout, set) in new[] { ("per series", models), ("whole (before)", whole) })
        {
            await using var service = await ServiceProcess.StartAsync(database, settings);
            var measured = new List<(string Name, double Train, Measurement M)>();
            foreach (var (name, id, train) in set)
                measured.Add((name, train, await MeasureAsync(service.Client, service.ProcessId, id, count, requests, rounds)));
            var peak = PeakRssMb(service.ProcessId);
            foreach (var (name, train, m) in measured)
            {
                var row = $"{name.Split(' ')[0]}_{(layout == "per series" ? "series" : "whole")}";
                report.Add(row, [name, layout, train.ToString("0.0", CultureInfo.InvariantCulture), m.FirstMs.ToString("0", CultureInfo.InvariantCulture),
                        m.P50Ms.ToString("0.00", CultureInfo.InvariantCulture), m.P99Ms.ToString("0.00", CultureInfo.InvariantCulture), m.CpuMsPerRequest.ToString("0.00", CultureInfo.InvariantCulture),
                        m.CsvSeconds.ToString("0.00", CultureInfo.InvariantCulture), m.CsvCpuSeconds.ToString("0.00", CultureInfo.InvariantCulture), (m.CsvBytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture), peak.ToString("0", CultureInfo.InvariantCulture)],
                    ("first_ms", m.FirstMs), ("p50_ms", m.P50Ms), ("p99_ms", m.P99Ms), ("cpu_ms_per_request", m.CpuMsPerRequest), ("csv_s", m.CsvSeconds), ("csv_cpu_s", m.CsvCpuSeconds), ("peak_rss_mb", peak));
            }
        }
        report.Note($"Goals: one series p50 ≤ 20 ms; the whole fleet as CSV ≤ 2 s. Trained over HTTP (the service's in-process worker, training split 0.9, " +
            $"validation 0.1, so intervals are conformal); forecasts from a fresh process per layout, both models in it, so its peak RSS is the larger model's. " +
            $"One series: {requests} sequential requests over distinct series after the first (which loads the dataset and the model); fleet CSV: median of {rounds} " +
            $"runs, to the last byte; CPU: the service process's user + system time (so a loaded machine's waiting is left out). \"whole (before)\" is the same fits stored as one state, read and parsed whole by the first request and then cached. " +
            $"The client runs on the same {Environment.ProcessorCount} cores. Load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
        report.Publish();
        folder.Delete(recursive: true);
        return 0;
    }

    /// <summary>
    /// The training worker's memory: the panel is generated in one process, then each model is trained in a fresh one
    /// (the service's in-process worker), whose peak RSS (VmHWM) is that run's, dataset load included.
    /// </summary>
    private static async Task TrainOnlyAsync(BenchReport report, string database, Dictionary<string, string> settings, int count, int steps, bool sarima)
    {
        string dataset;
        await using (var service = await ServiceProcess.StartAsync(database, settings))
        {
            var created = await (await service.Client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "fleet", count, steps, seed = 42 })).Content.ReadFromJsonAsync<JsonElement>();
            dataset = created.GetProperty("id").GetString()!;
        }
        var kinds = new List<(string, object)> { ("seasonal_naive", new { kind = "seasonal_naive", season = 7 }) };
        if (sarima) kinds.Add(("sarima (1,0,0)(0,1,1,7)", new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } }));
        foreach (var (name, model) in kinds)
        {
            await using var service = await ServiceProcess.StartAsync(database, settings);
            var idle = PeakRssMb(service.ProcessId);
            var watch = Stopwatch.StartNew();
            var id = await TrainAsync(service.Client, new { datasetId = dataset, targets = new[] { "value" }, horizon = Horizon, split = new { train = 0.9, valid = 0.1 }, model });
            var seconds = watch.Elapsed.TotalSeconds;
            var peak = PeakRssMb(service.ProcessId);
            Console.WriteLine($"trained {name} in {seconds:0.0} s, peak RSS {peak:0} MB; answers {await FingerprintAsync(service.Client, id, count)}");
            report.Add($"{name.Split(' ')[0]}_{count}", [name, count.ToString("N0", CultureInfo.InvariantCulture), seconds.ToString("0.0", CultureInfo.InvariantCulture),
                    peak.ToString("0", CultureInfo.InvariantCulture), idle.ToString("0", CultureInfo.InvariantCulture)],
                ("train_s", seconds), ("peak_rss_mb", peak));
        }
    }

    /// <summary>
    /// A hash of what the trained model answers (its metrics and details, and three series' forecasts with their
    /// intervals), so that a change made for memory can show it changed no answer.
    /// </summary>
    private static async Task<string> FingerprintAsync(HttpClient client, Guid model, int count)
    {
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        var text = new System.Text.StringBuilder(stored.GetProperty("metrics").GetRawText());
        if (stored.TryGetProperty("details", out var details)) text.Append(details.GetRawText());
        foreach (var series in new[] { 0, count / 2, count - 1 })
        {
            using var response = await client.PostAsync($"/api/models/{model}/forecast",
                new StringContent($$"""{ "series": "{{series}}", "horizon": {{Horizon}}, "levels": [80, 95] }""", System.Text.Encoding.UTF8, "application/json"));
            text.Append(await response.Content.ReadAsStringAsync());
        }
        // The run's own ids (the model's in forecasts, the dataset's in the validation scope's key) differ from run to run.
        var answers = System.Text.RegularExpressions.Regex.Replace(text.Replace(model.ToString(), "model").ToString(), "\"key\":\"[0-9a-f]+\"", "\"key\":\"\"");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(answers)))[..16];
    }

    private sealed record Measurement(double FirstMs, double P50Ms, double P99Ms, double CpuMsPerRequest, double CsvSeconds, double CsvCpuSeconds, long CsvBytes);

    private static async Task<Measurement> MeasureAsync(HttpClient client, int processId, Guid model, int count, int requests, int rounds)
    {
        var path = $"/api/models/{model}/forecast";
        async Task<double> OneAsync(int series)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync(path, new StringContent($$"""{ "series": "{{series}}", "horizon": {{Horizon}}, "levels": [80, 95] }""", System.Text.Encoding.UTF8, "application/json"));
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"forecast of series {series} answered {(int)response.StatusCode}");
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var first = await OneAsync(0);
        var latencies = new List<double>(requests);
        var cpu = CpuSeconds(processId);
        // Distinct series, spread over the fleet: no request is answered from fits another one read.
        for (var i = 1; i <= requests; i++) latencies.Add(await OneAsync((int)((long)i * 7919 % count)));
        var cpuPerRequest = (CpuSeconds(processId) - cpu) * 1000 / requests;
        latencies.Sort();

        var csv = new List<double>();
        var csvCpu = new List<double>();
        long bytes = 0;
        for (var r = 0; r < rounds + 1; r++)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(CsvPayload, System.Text.Encoding.UTF8, "application/json") };
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            var started = Stopwatch.GetTimestamp();
            var cpuStart = CpuSeconds(processId);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"the fleet CSV answered {(int)response.StatusCode}");
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            long read = 0;
            for (int n; (n = await body.ReadAsync(buffer)) > 0;) read += n;
            if (r > 0) // the first warms the JIT
            {
                csv.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                csvCpu.Add(CpuSeconds(processId) - cpuStart);
            }
            bytes = read;
        }
        return new Measurement(first, BenchReport.Median(latencies), latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))], cpuPerRequest,
            BenchReport.Median(csv), BenchReport.Median(csvCpu), bytes);
    }

    private static async Task<Guid> TrainAsync(HttpClient client, object request)
    {
        var queued = await client.PostAsJsonAsync("/api/training-runs", request);
        var run = await queued.Content.ReadFromJsonAsync<JsonElement>();
        if (!queued.IsSuccessStatusCode) throw new InvalidOperationException(run.ToString());
        while (true)
        {
            var state = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{run.GetProperty("id").GetString()}");
            if (state.GetProperty("status").GetString() == "succeeded") return Guid.Parse(state.GetProperty("modelId").GetString()!);
            if (state.GetProperty("status").GetString() is "failed" or "cancelled") throw new InvalidOperationException(state.ToString());
            await Task.Delay(200);
        }
    }

    /// <summary>A copy of a model stored per series, with its fits in one state and rows without them: the layout before per-series state.</summary>
    private static Guid StoreWhole(string database, Guid id)
    {
        var options = new DbContextOptionsBuilder<ForecastingDbContext>();
        PersistenceSetup.ConfigureSqlite(options, $"Data Source={database}");
        using var db = new ForecastingDbContext(options.Options);
        var model = db.Models.AsNoTracking().Single(m => m.Id == id);
        var rows = db.ModelSeries.AsNoTracking().Where(s => s.ModelId == id).ToList();
        var run = db.TrainingRuns.AsNoTracking().Single(r => r.Id == model.TrainingRunId);
        ISeriesStateKind kind = model.Kind == "sarima" ? new SarimaModelKind() : new SeasonalNaiveModelKind();
        var spec = ApiJson.Deserialize<TrainingRunSpec>(model.SpecJson);
        var fitted = kind.LoadSeries(kind.Load(model.State, spec), rows.Where(r => r.State is not null).Select(r => new SeriesState(r.SeriesId, r.Target, r.State!)).ToList(), []);
        // A model belongs to one run: the copy gets a copy of the run.
        var runCopy = new TrainingRunEntity
        {
            Id = Guid.NewGuid(), DatasetId = run.DatasetId, Kind = run.Kind, Queue = run.Queue, Status = run.Status, SpecJson = run.SpecJson,
            Epoch = run.Epoch, Epochs = run.Epochs, Attempts = run.Attempts, CreatedAt = run.CreatedAt, StartedAt = run.StartedAt, FinishedAt = run.FinishedAt,
        };
        var copy = new ModelEntity
        {
            Id = Guid.NewGuid(), TrainingRunId = runCopy.Id, DatasetId = model.DatasetId, Kind = model.Kind, SpecJson = model.SpecJson, MetricsJson = model.MetricsJson,
            HistoryJson = model.HistoryJson, DetailsJson = model.DetailsJson, ParameterCount = model.ParameterCount, TrainingSeconds = model.TrainingSeconds,
            StateFormat = kind.Traits.StateFormat, State = fitted.SaveState(), CreatedAt = DateTimeOffset.UtcNow,
        };
        runCopy.ModelId = copy.Id;
        db.TrainingRuns.Add(runCopy);
        db.Models.Add(copy);
        db.ModelSeries.AddRange(rows.Select(r => new ModelSeriesEntity { ModelId = copy.Id, SeriesId = r.SeriesId, Target = r.Target, Status = r.Status, Method = r.Method, Reason = r.Reason }));
        db.SaveChanges();
        return copy.Id;
    }

    /// <summary>CPU time the service process has used (user and system, from /proc; 10 ms ticks).</summary>
    private static double CpuSeconds(int processId)
    {
        var fields = File.ReadAllText($"/proc/{processId}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The process's peak resident set (VmHWM) in MB.</summary>
    private static double PeakRssMb(int processId) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();
}
