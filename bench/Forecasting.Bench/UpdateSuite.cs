using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Bench;

/// <summary>
/// Update without refit against a refit, over HTTP on the real service (a separate process, SQLite): a panel of daily
/// series with a weekly pattern, a statistical model trained on its first year, then 30 new days per series. Timed: POST
/// /api/models/{id}/update with the 30 days in its body (appended to the dataset and the new model written in one
/// transaction); the same update again once the rows are in the dataset (no body: what an update costs when the rows
/// came through POST /api/datasets/{id}/observations, as a refit needs them too); and the refit, a training run of the
/// same request on the extended data, end to end (queued until succeeded) and by its own fitting time (the model's
/// trainingSeconds, which leaves out the queue and the writes).
/// Each round uses a fresh dataset; medians over the rounds. Options: --rounds N (default 5).
/// </summary>
public static class UpdateSuite
{
    private const int Days = 365, Appended = 30;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = int.Parse(BenchReport.Option(args, "rounds", "5")!, CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("forecasting-update-");
        await using var service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "update.db"),
            new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning" });
        var client = service.Client;
        var loadBefore = LoadAverage();

        var report = new BenchReport("update", "update: a model brought up to date without refitting, against a refit",
            "model", "series", "update with rows ms", "update ms", "refit s (end to end)", "refit s (fitting)", "update / refit", "update / refit fitting", "rounds");
        var sarima = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } };
        foreach (var (row, name, model, series) in new (string, string, object, int)[]
                 {
                     ("sarima_1", "SARIMA(1,0,0)(0,1,1,7)", sarima, 1),
                     ("sarima_20", "SARIMA(1,0,0)(0,1,1,7)", sarima, 20),
                     ("sarima_200", "SARIMA(1,0,0)(0,1,1,7)", sarima, 200),
                     ("ets_20", "ETS (ZZZ: chosen by AICc)", new { kind = "ets" }, 20),
                 })
        {
            var withRows = new List<double>();
            var update = new List<double>();
            var refitWall = new List<double>();
            var refitFitting = new List<double>();
            for (var round = 0; round <= rounds; round++) // round 0 warms the JIT and the caches
            {
                var values = Panel(series, seed: round);
                var dataset = await UploadAsync(client, values, $"update-{round}");
                var parent = await TrainAsync(client, Request(dataset, model, Days));

                var body = JsonContent.Create(new
                {
                    series = values.Select((v, i) => new { id = $"s{i}", start = Day(Days), columns = new Dictionary<string, double[]> { ["value"] = v[Days..] } }),
                });
                var path = $"/api/models/{parent.GetProperty("id").GetString()}/update";
                var withRowsMs = await TimeUpdateAsync(client, path, body);
                var updateMs = await TimeUpdateAsync(client, path, null);

                var watch = Stopwatch.StartNew();
                var refit = await TrainAsync(client, Request(dataset, model, Days + Appended));
                var wall = watch.Elapsed.TotalSeconds;
                if (round == 0) continue;
                withRows.Add(withRowsMs);
                update.Add(updateMs);
                refitWall.Add(wall);
                refitFitting.Add(refit.GetProperty("trainingSeconds").GetDouble());
            }
            var (r, u, w, f) = (BenchReport.Median(withRows), BenchReport.Median(update), BenchReport.Median(refitWall), BenchReport.Median(refitFitting));
            var (share, fittingShare) = (u / 1000 / w, u / 1000 / f);
            report.Add(row, [name, series.ToString(CultureInfo.InvariantCulture), $"{r:F1}", $"{u:F1} (min {update.Min():F1})", $"{w:F3}", $"{f:F3}",
                    $"{100 * share:F1}%", $"{100 * fittingShare:F1}%", rounds.ToString(CultureInfo.InvariantCulture)],
                ("update_with_rows_ms", r), ("update_ms", u), ("refit_wall_s", w), ("refit_fit_s", f), ("share", share), ("fitting_share", fittingShare));
        }
        report.Note($"Daily series of {Days} days each, {Appended} days appended per series; medians of {rounds} rounds after a warm-up round, each on a fresh dataset. " +
            "'update with rows': the HTTP request with the rows in its body (parsing and appending them, the dataset rewritten as the observations endpoint does, the new model " +
            "written, one transaction); 'update': the same once the rows are stored (no body), the figure set against the refit, which needs the rows stored as well. " +
            "'update / refit' compares end to end requests (the refit queued until it succeeded, polled every 10 ms); 'update / refit fitting' sets the update's whole request " +
            "against the refit's fitting time alone. Goal: an update costs at most 5% of a refit. " +
            $"Client and service share the {Environment.ProcessorCount} cores; load average (1, 5, 15 min) at the start {loadBefore}, at the end {LoadAverage()}.");
        report.Publish();
        return 0;
    }

    private static async Task<double> TimeUpdateAsync(HttpClient client, string path, HttpContent? body)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsync(path, body);
        var ms = watch.Elapsed.TotalMilliseconds;
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"update answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return ms;
    }

    private static object Request(string datasetId, object model, int days) => new
    {
        datasetId, targets = new[] { "value" }, horizon = 7, split = new { trainFrom = Day(0), trainTo = Day(days - 1) }, model,
    };

    private static double[][] Panel(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(s => Enumerable.Range(0, Days + Appended)
            .Select(t => 1000 + 50 * s + 200 * Math.Sin(2 * Math.PI * t / 7 + s) + 0.5 * t + 40 * random.NextDouble()).ToArray())];
    }

    private static string Day(int t) => new DateOnly(2023, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> UploadAsync(HttpClient client, double[][] values, string name)
    {
        var created = await client.PostAsJsonAsync("/api/datasets", new
        {
            name, frequency = "D",
            series = values.Select((v, i) => new { id = $"s{i}", start = Day(0), columns = new Dictionary<string, double[]> { ["value"] = v[..Days] } }),
        });
        if ((int)created.StatusCode != 201) throw new InvalidOperationException(await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> TrainAsync(HttpClient client, object request)
    {
        var queued = await client.PostAsJsonAsync("/api/training-runs", request);
        var run = await queued.Content.ReadFromJsonAsync<JsonElement>();
        if ((int)queued.StatusCode != 202) throw new InvalidOperationException(run.ToString());
        while (true)
        {
            var state = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{run.GetProperty("id").GetString()}");
            if (state.GetProperty("status").GetString() == "succeeded")
                return await client.GetFromJsonAsync<JsonElement>($"/api/models/{state.GetProperty("modelId").GetString()}");
            if (state.GetProperty("status").GetString() is "failed" or "cancelled") throw new InvalidOperationException(state.ToString());
            await Task.Delay(10);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
