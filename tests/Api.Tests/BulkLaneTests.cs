using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// Long statistical jobs wait in the bulk queue, so a quick statistical job is never stuck behind them: the job's
/// estimated work (fits weighted by its kind's fit cost) against Jobs:BulkWork decides, and the row keeps the queue.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class BulkLaneTests(ITestOutputHelper output)
{
    private static readonly object Split = new { trainFrom = "2020-01-01", trainTo = "2020-05-31", validFrom = "2020-06-01", validTo = "2020-07-18" };

    [Fact]
    public async Task A_small_heavy_run_stays_statistical_a_large_one_goes_to_bulk_and_light_work_stays_statistical()
    {
        // A process that only queues: nothing runs, each row keeps the queue its submission chose.
        await using var factory = ApiFactory.With(new() { ["role"] = "api" });
        var client = factory.CreateClient();
        var panel = await UploadPanelAsync(client, series: 20, days: 200, name: "lanes-routing");
        var ets = new { kind = "ets" };

        // The default threshold is 3,000: ten heavy fits (weight 300 each), or three thousand light ones.
        Assert.Equal("statistical", await QueueOfRunAsync(client, new { datasetId = panel, series = new[] { "s00" }, targets = new[] { "value" }, horizon = 7, split = Split, model = ets }));
        Assert.Equal("bulk", await QueueOfRunAsync(client, new { datasetId = panel, targets = new[] { "value" }, horizon = 7, split = Split, model = ets }));
        Assert.Equal("statistical", await QueueOfRunAsync(client, new { datasetId = panel, targets = new[] { "value" }, horizon = 7, split = Split, model = new { kind = "seasonal_naive", season = 7 } }));
        // One series, but eleven fits: the run and its ten calibration windows' refits.
        Assert.Equal("bulk", await QueueOfRunAsync(client, new
        {
            datasetId = panel, series = new[] { "s00" }, targets = new[] { "value" }, horizon = 7, split = Split, model = ets,
            intervals = new { calibration = "backtest", windows = 10 },
        }));

        // A backtest fits each series at each refit: 4 origins are 4 heavy fits, 20 are 20.
        Assert.Equal("statistical", await QueueOfBacktestAsync(client, new
        {
            datasetId = panel, series = new[] { "s00" }, targets = new[] { "value" }, model = ets, from = "2020-06-01", to = "2020-06-04",
        }));
        Assert.Equal("bulk", await QueueOfBacktestAsync(client, new
        {
            datasetId = panel, series = new[] { "s00" }, targets = new[] { "value" }, model = ets, from = "2020-06-01", to = "2020-06-20",
        }));
        // Light fits add up too: 20 series refitted at 169 origins are 3,380 fits.
        Assert.Equal("bulk", await QueueOfBacktestAsync(client, new
        {
            datasetId = panel, targets = new[] { "value" }, model = new { kind = "seasonal_naive", season = 7 }, from = "2020-02-01", to = "2020-07-18",
        }));
        var listed = (await (await client.GetAsync("/api/backtests")).ReadJsonAsync()).EnumerateArray().Select(b => b.GetProperty("queue").GetString());
        Assert.Equal(["bulk", "bulk", "statistical"], listed);
    }

    [Fact]
    public async Task The_threshold_is_Jobs_BulkWork()
    {
        await using var factory = ApiFactory.With(new() { ["role"] = "api", ["Jobs:BulkWork"] = "50000" });
        var client = factory.CreateClient();
        var panel = await UploadPanelAsync(client, series: 20, days: 200, name: "lanes-threshold");
        Assert.Equal("statistical", await QueueOfRunAsync(client, new { datasetId = panel, targets = new[] { "value" }, horizon = 7, split = Split, model = new { kind = "ets" } }));
    }

    /// <summary>
    /// The case: a long auto_sarima run over a 200-series panel holds a slot for minutes; a seasonal-naive run
    /// submitted after it must not wait for it. One-process default (Jobs:Workers = cores − 1: one slot per queue here).
    /// </summary>
    [Fact]
    public async Task A_seasonal_naive_run_submitted_during_a_long_auto_sarima_run_succeeds_first()
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();
        var panel = await UploadPanelAsync(client, series: 200, days: 200, name: "lanes-panel");
        var longRun = await QueueAsync(client, new { datasetId = panel, targets = new[] { "value" }, horizon = 7, split = Split, model = new { kind = "auto_sarima" } });

        // Running, its total known before its first fit ends (never "0/1"), then an estimate of the time left.
        var running = await WaitForAsync(client, longRun, run => run.GetProperty("status").GetString() == "running" && Progress(run).GetProperty("epochs").GetInt32() > 0);
        Assert.Equal("bulk", running.GetProperty("queue").GetString());
        Assert.Equal(200, Progress(running).GetProperty("epochs").GetInt32());
        Assert.Equal(200, Progress(running).GetProperty("series").GetInt32());
        var estimated = await WaitForAsync(client, longRun, run => Progress(run).TryGetProperty("secondsLeft", out var left) && left.ValueKind == JsonValueKind.Number);
        var left = Progress(estimated).GetProperty("secondsLeft").GetDouble();
        var done = Progress(estimated).GetProperty("seriesDone").GetInt32();
        Assert.True(left > 0 && done is > 0 and < 200, $"progress {Progress(estimated)}");
        output.WriteLine($"auto_sarima: {done} of 200 series done, {left} s left by its estimate");

        var clock = Stopwatch.StartNew();
        var quick = await QueueAsync(client, new { datasetId = panel, targets = new[] { "value" }, horizon = 7, split = Split, model = new { kind = "seasonal_naive", season = 7 } });
        var finished = await client.WaitForRunAsync(quick, TimeSpan.FromSeconds(60));
        clock.Stop();
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        Assert.Equal("statistical", finished.GetProperty("queue").GetString());
        output.WriteLine($"seasonal_naive over 200 series, submitted during the auto_sarima run: succeeded {clock.Elapsed.TotalSeconds:F2} s after its submission");
        // A generous bound for a loaded machine; the goal (< 3 s) is measured and reported in docs/jobs.md.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the quick run took {clock.Elapsed.TotalSeconds:F1} s");

        var longOne = await (await client.GetAsync($"/api/training-runs/{longRun}")).ReadJsonAsync();
        Assert.Equal("running", longOne.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{longRun}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await client.WaitForRunAsync(longRun, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
    }

    private static JsonElement Progress(JsonElement run) => run.GetProperty("progress");

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string runId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await (await client.GetAsync($"/api/training-runs/{runId}")).ReadJsonAsync();
            if (condition(run)) return run;
            Assert.True(DateTime.UtcNow < deadline, $"the run never got there: {run}");
            await Task.Delay(50);
        }
    }

    private static async Task<string> QueueAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/training-runs", request);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"queueing failed: {body}");
        return body.Id();
    }

    private static async Task<string?> QueueOfRunAsync(HttpClient client, object request)
    {
        var run = await (await client.GetAsync($"/api/training-runs/{await QueueAsync(client, request)}")).ReadJsonAsync();
        // Queued, it shows no total yet rather than a made-up one.
        Assert.Equal(0, Progress(run).GetProperty("epochs").GetInt32());
        return run.GetProperty("queue").GetString();
    }

    private static async Task<string?> QueueOfBacktestAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/backtests", request);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"queueing failed: {body}");
        return (await (await client.GetAsync($"/api/backtests/{body.Id()}")).ReadJsonAsync()).GetProperty("queue").GetString();
    }

    /// <summary>A daily panel: each series a weekly pattern, a trend and noise of its own.</summary>
    private static async Task<string> UploadPanelAsync(HttpClient client, int series, int days, string name)
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, series).Select(i =>
        {
            var level = 20 + 10 * i;
            var values = Enumerable.Range(0, days).Select(t => level + 0.2 * level * Math.Sin(2 * Math.PI * t / 7) + 0.01 * level * t / 7 + random.NextDouble() * 0.1 * level).ToArray();
            return new { id = $"s{i:00}", start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = values } };
        }).ToArray();
        var response = await client.PostAsJsonAsync("/api/datasets", new { name, frequency = "D", series = rows });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload failed: {body}");
        return body.Id();
    }
}
