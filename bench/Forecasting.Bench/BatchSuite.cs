using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Bench;

/// <summary>
/// Batch forecasts against the real service: every series of a model in one POST /api/models/{id}/forecast,
/// as JSON and as a streamed CSV long table, timed to the last byte (medians of several rounds), with the
/// server's peak resident memory growth during the request (VmHWM after resetting it through clear_refs).
/// </summary>
public static class BatchSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = int.Parse(BenchReport.Option(args, "rounds", "5")!);
        var naiveSeries = int.Parse(BenchReport.Option(args, "naive-series", "10000")!);
        var lstmSeries = int.Parse(BenchReport.Option(args, "lstm-series", "1000")!);
        var folder = Directory.CreateTempSubdirectory("forecasting-batch-");
        await using var service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "batch.db"),
            new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning" });
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };

        var naiveData = await UploadSyntheticAsync(client, naiveSeries, "batch-naive");
        var naive = await TrainAsync(client, new
        {
            datasetId = naiveData, targets = new[] { "value" }, horizon = 10, split = new { trainTo = "41", validFrom = "42" },
            model = new { kind = "seasonal_naive", season = 7 },
        });
        var lstmData = await UploadSyntheticAsync(client, lstmSeries, "batch-lstm");
        var lstm = await TrainAsync(client, new
        {
            datasetId = lstmData, targets = new[] { "value" }, windowLength = 8, horizon = 10, split = new { trainTo = "41", validFrom = "42" },
            model = new { kind = "lstm", units = new[] { 20 } }, training = new { loss = "mse", optimizer = "adam", epochs = 1 },
        });

        var report = new BenchReport("batch", "batch: every series of a model in one forecast request",
            "model", "series", "format", "median s", "rows", "MB", "peak RSS growth MB", "rounds");
        var cases = new[] { ("seasonal_naive", naive, naiveSeries), ("lstm(20)", lstm, lstmSeries) }
            .SelectMany(m => new[] { false, true }.Select(csv => (Name: m.Item1, Model: m.Item2, Count: m.Item3, Csv: csv))).ToList();
        // Warm every case before timing any (the JIT tiers up the shared forecast code, the caches fill), then take the
        // rounds of all cases in turn, so that neither format is timed on a colder process or a busier minute than the other.
        for (var warm = 0; warm < 2; warm++)
            foreach (var c in cases) await MeasureAsync(client, service.ProcessId, c.Model, c.Csv);
        var measured = cases.ToDictionary(c => c, _ => new List<(double Seconds, long Bytes, int Rows, double PeakMb)>());
        for (var round = 0; round < rounds; round++)
            foreach (var c in cases) measured[c].Add(await MeasureAsync(client, service.ProcessId, c.Model, c.Csv));
        foreach (var c in cases)
        {
            var results = measured[c];
            var seconds = BenchReport.Median(results.Select(r => r.Seconds));
            var peak = BenchReport.Median(results.Select(r => r.PeakMb));
            var format = c.Csv ? "csv" : "json";
            report.Add($"{c.Name}_{format}", [c.Name, c.Count.ToString("N0"), format, seconds.ToString("0.000"), results[0].Rows.ToString("N0"),
                (results[0].Bytes / 1e6).ToString("0.0"), peak.ToString("0"), rounds.ToString()], ("seconds", seconds), ("peak_rss_mb", peak));
        }
        report.Note($"Goals: 10,000 series of a seasonal-naive model in one request under 1 s; 1,000 series of an LSTM(20) under 1 s; memory " +
            $"proportional to one series, not to the answer. Horizon 10, levels 80 and 95 (conformal), synthetic series of 60 steps (trained on steps 0–41, calibrated on 42–59, so every series is fitted; LSTM(20) window 8, direct, one epoch); time from sending the request " +
            $"to the last byte read, medians of {rounds} rounds taken in turn after two warm-up rounds of every case; rows = JSON forecasts or CSV lines. The client runs on the same {Environment.ProcessorCount} cores. " +
            $"Load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
        report.Publish();
        return 0;
    }

    private static async Task<(double Seconds, long Bytes, int Rows, double PeakMb)> MeasureAsync(HttpClient client, int pid, string model, bool csv)
    {
        GC.Collect();
        File.WriteAllText($"/proc/{pid}/clear_refs", "5"); // resets the server's peak RSS (VmHWM) to its current RSS
        var before = Kilobytes(pid, "VmRSS:");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{model}/forecast")
        {
            Content = new StringContent("""{ "horizon": 10, "levels": [80, 95] }""", Encoding.UTF8, "application/json"),
        };
        if (csv) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"forecast answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadAsByteArrayAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        var peak = Kilobytes(pid, "VmHWM:");
        var text = Encoding.UTF8.GetString(body);
        // Every series must be answered: a series-level error (CSV: a filled last column) would make the timing meaningless.
        if (csv ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Any(l => !l.EndsWith(',')) : text.Contains("\"error\"", StringComparison.Ordinal))
            throw new InvalidOperationException("Some series were not forecast: " + text[..Math.Min(2000, text.Length)]);
        var rows = csv ? body.Count(b => b == (byte)'\n') - 1 : JsonDocument.Parse(body).RootElement.GetProperty("forecasts").GetArrayLength();
        return (seconds, body.LongLength, rows, (peak - before) / 1024.0);
    }

    private static long Kilobytes(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0]);

    private static async Task<string> UploadSyntheticAsync(HttpClient client, int count, string name)
    {
        var created = await client.PostAsJsonAsync("/api/datasets/synthetic", new { name, count, steps = 60, seed = 42 });
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
            await Task.Delay(100);
        }
    }
}
