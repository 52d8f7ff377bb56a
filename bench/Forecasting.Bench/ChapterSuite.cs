using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Bench;

/// <summary>
/// Suite <c>chapter</c>: the chapter's CTA table (DESIGN.md "Reference figures") and its synthetic
/// seq2seq models, reproduced THROUGH HTTP against the real service: upload the CTA file, queue each
/// row's training run (or backtest) with the chapter's settings, poll it, and print our figure beside
/// the chapter's with the training seconds and epochs used. Writes docs/chapter-table.md.
/// Options: <c>--rows a,b,c</c> (subset), <c>--seed N</c> (default 42), <c>--url U</c> (a running service),
/// <c>--out PATH</c> (default docs/chapter-table.md).
/// </summary>
public static class ChapterSuite
{
    private const double Scale = 1e6;

    /// <summary>One row: the request to queue, the chapter's figures, and how to read ours.</summary>
    private sealed record Row(string Name, string Title, string Chapter, Func<Context, Task<Outcome>> Run);

    private sealed record Context(HttpClient Client, string CtaId, Func<Task<string>> SyntheticId, int Seed);

    /// <summary>Our figures (name, value, chapter's value, lower is better?), seconds, epochs, best epoch, and a remark.</summary>
    private sealed record Outcome(List<(string Name, double Ours, double? Chapter, double Tolerance)> Figures, double? Seconds, int? Epochs, int? BestEpoch, string? Remark = null);

    /// <summary>
    /// The neural rows' split: the chapter trains on 2016..2018 and its valid_ds targets start 56 days into 2019
    /// (its first window is 2019-01-01..2019-02-25). Validation from 2019-02-26, with windows taking their inputs from
    /// before the period, gives the chapter's validation targets and early-stopping windows exactly.
    /// </summary>
    private static readonly object Split = new { trainFrom = "2016-01-01", trainTo = "2018-12-31", validFrom = "2019-02-26", validTo = "2019-05-31" };
    private static readonly object Divide = new { kind = "divide", by = Scale };

    /// <summary>The chapter's SARIMA(1,0,0)(0,1,1,7) fitted on rail 2019-01..05 of a dataset, and its forecast for 2019-06-01.</summary>
    private static async Task<(JsonElement Model, JsonElement Point)> SarimaForecastAsync(HttpClient client, string datasetId)
    {
        var model = await TrainAsync(client, new
        {
            datasetId, targets = new[] { "rail" },
            split = new { trainFrom = "2019-01-01", trainTo = "2019-05-31" },
            model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
        });
        var id = model.GetProperty("id").GetString();
        var response = await client.PostAsJsonAsync($"/api/models/{id}/forecast", new { origin = "2019-05-31", horizon = 1, levels = new[] { 95 } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"forecast answered {(int)response.StatusCode}: {body}");
        return (model, body.GetProperty("points")[0]);
    }

    private static object Sgd(double learningRate, int seed, int? shuffleBuffer = null) => new
    {
        loss = "huber", optimizer = "sgd", learningRate, momentum = 0.9, epochs = 500, batchSize = 32, patience = 50, seed, shuffleBuffer,
    };

    private static object Synthetic(string datasetId, object model, int seed) => new
    {
        datasetId, targets = new[] { "value" }, windowLength = 50, horizon = 10, strategy = "seq2seq",
        split = new { train = 0.7, valid = 0.2, by = "series" }, model,
        training = new { loss = "mse", optimizer = "adam", learningRate = 0.001, epochs = 20, batchSize = 32, seed },
    };

    private static List<Row> Rows() =>
    [
        new("naive", "naive: copy last week, 2019-03..2019-05", "rail 42,143 (bus 43,916); MAPE 9.0% (8.3%)", async c =>
        {
            var model = await TrainAsync(c.Client, new
            {
                datasetId = c.CtaId, targets = new[] { "rail", "bus" },
                split = new { trainFrom = "2016-01-01", trainTo = "2019-02-28", validFrom = "2019-03-01", validTo = "2019-05-31" },
                model = new { kind = "seasonal_naive", season = 7 },
            });
            var v = Validation(model);
            return Result(model, [
                ("rail_mae", Target(v, "rail").GetProperty("mae").GetDouble(), 42143, 0.5),
                ("bus_mae", Target(v, "bus").GetProperty("mae").GetDouble(), 43916, 0.5),
                ("rail_mape", Target(v, "rail").GetProperty("mape").GetDouble(), 9.0, 0.05),
                ("bus_mape", Target(v, "bus").GetProperty("mape").GetDouble(), 8.3, 0.05),
            ], exact: true);
        }),
        new("sarima_forecast", "SARIMA(1,0,0)(0,1,1,7) fit 2019-01-01..2019-05-31, forecast 2019-06-01", "427,758.6", async c =>
        {
            var (model, point) = await SarimaForecastAsync(c.Client, c.CtaId);
            var mean = point.GetProperty("values").GetProperty("rail").GetProperty("mean").GetDouble();
            return Result(model, [("forecast", mean, 427758.6, 0.05)], exact: true, remark: $"forecast for {point.GetProperty("timestamp")}");
        }),
        new("sarima_forecast_2019", "same, on a dataset holding only 2019-01-01..2019-05-31 (JSON upload)", "427,758.6", async c =>
        {
            // statsmodels forecasts from the fitted sample only; the service filters every stored observation
            // before the origin (from 2001). This row uploads just the training months to show that difference.
            var rail = ReadRail(CtaData.RequiredPath, new DateOnly(2019, 1, 1), new DateOnly(2019, 5, 31));
            using var upload = await c.Client.PostAsJsonAsync("/api/datasets", new
            {
                name = "cta-rail-2019-01..05", frequency = "D",
                series = new[] { new { id = "rail", start = "2019-01-01", columns = new Dictionary<string, double[]> { ["rail"] = rail } } },
            });
            var uploaded = await upload.Content.ReadAsStringAsync();
            if (!upload.IsSuccessStatusCode) throw new InvalidOperationException($"upload answered {(int)upload.StatusCode}: {uploaded}");
            var (model, point) = await SarimaForecastAsync(c.Client, JsonDocument.Parse(uploaded).RootElement.GetProperty("id").GetString()!);
            var mean = point.GetProperty("values").GetProperty("rail").GetProperty("mean").GetDouble();
            return Result(model, [("forecast", mean, 427758.6, 0.05)], exact: true, remark: $"{rail.Length} days uploaded");
        }),
        new("sarima_daily", "same, refit every day, MAE 2019-03..2019-05 (POST /api/backtests)", "32,041", async c =>
        {
            var started = DateTime.UtcNow;
            var backtest = await BacktestAsync(c.Client, new
            {
                datasetId = c.CtaId, targets = new[] { "rail" },
                model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
                from = "2019-03-01", to = "2019-05-31", trainFrom = "2019-01-01", horizon = 1, refitEvery = 1,
            });
            var mae = Target(backtest.GetProperty("metrics"), "rail").GetProperty("mae").GetDouble();
            var seconds = backtest.TryGetProperty("startedAt", out var s) && backtest.TryGetProperty("finishedAt", out var f)
                && s.ValueKind == JsonValueKind.String && f.ValueKind == JsonValueKind.String
                ? (f.GetDateTimeOffset() - s.GetDateTimeOffset()).TotalSeconds : (DateTime.UtcNow - started).TotalSeconds;
            var total = backtest.GetProperty("progress").GetProperty("total").GetInt32();
            return new Outcome([("mae", mae, 32041, 0.5)], seconds, null, null, $"{total} refits (backtest wall time)");
        }),
        new("linear", "linear on 56 days, Huber, SGD lr 0.02 momentum 0.9, patience 50", "≈ 37,866", c => NeuralAsync(c, new
        {
            datasetId = c.CtaId, targets = new[] { "rail" }, windowLength = 56, horizon = 1, split = Split, scaling = Divide,
            model = new { kind = "linear" }, training = Sgd(0.02, c.Seed),
        }, 37866)),
        new("simple_rnn", "SimpleRNN(32)+Dense(1), SGD lr 0.05", "≈ 27,703", c => NeuralAsync(c, new
        {
            datasetId = c.CtaId, targets = new[] { "rail" }, windowLength = 56, horizon = 1, split = Split, scaling = Divide,
            model = new { kind = "simple_rnn", units = new[] { 32 } }, training = Sgd(0.05, c.Seed),
        }, 27703)),
        new("deep_rnn", "3×SimpleRNN(32)+Dense(1), SGD lr 0.01", "≈ 31,211", c => NeuralAsync(c, new
        {
            datasetId = c.CtaId, targets = new[] { "rail" }, windowLength = 56, horizon = 1, split = Split, scaling = Divide,
            model = new { kind = "simple_rnn", units = new[] { 32, 32, 32 } }, training = Sgd(0.01, c.Seed),
        }, 31211)),
        new("multivariate", "multivariate: bus, rail, next day type (5 inputs), SimpleRNN(32), SGD lr 0.05", "≈ 22,062", c => NeuralAsync(c, new
        {
            datasetId = c.CtaId, targets = new[] { "rail" }, inputs = new[] { "bus", "rail" }, knownFuture = new[] { "day_type" },
            windowLength = 56, horizon = 1, split = Split, scaling = Divide,
            model = new { kind = "simple_rnn", units = new[] { 32 } }, training = Sgd(0.05, c.Seed),
        }, 22062)),
        new("multitask", "multitask bus+rail (5 inputs), SimpleRNN(32), SGD lr 0.02", "rail ≈ 25,330, bus ≈ 26,369", async c =>
        {
            var model = await TrainAsync(c.Client, new
            {
                datasetId = c.CtaId, targets = new[] { "rail", "bus" }, inputs = new[] { "bus", "rail" }, knownFuture = new[] { "day_type" },
                windowLength = 56, horizon = 1, split = Split, scaling = Divide,
                model = new { kind = "simple_rnn", units = new[] { 32 } }, training = Sgd(0.02, c.Seed),
            });
            var v = Validation(model);
            return Result(model, [
                ("rail_mae", Target(v, "rail").GetProperty("mae").GetDouble(), 25330, 0),
                ("bus_mae", Target(v, "bus").GetProperty("mae").GetDouble(), 26369, 0),
            ]);
        }),
        new("seq2seq", "seq2seq SimpleRNN(32)→Dense(14), 14 days ahead (5 inputs), SGD lr 0.1, shuffle buffer 256", "t+1 ≈ 25,519, t+2 ≈ 26,274, t+14 ≈ 34,322", async c =>
        {
            var model = await TrainAsync(c.Client, new
            {
                datasetId = c.CtaId, targets = new[] { "rail" }, inputs = new[] { "bus", "rail" }, knownFuture = new[] { "day_type" },
                windowLength = 56, horizon = 14, strategy = "seq2seq", split = Split, scaling = Divide,
                // The chapter's to_seq2seq_dataset shuffles the chronological windows through shuffle(8 * batch_size).
                model = new { kind = "simple_rnn", units = new[] { 32 } }, training = Sgd(0.1, c.Seed, shuffleBuffer: 256),
            });
            var steps = Target(Validation(model), "rail").GetProperty("perHorizon");
            return Result(model, [
                ("t1_mae", Step(steps, 1).GetProperty("mae").GetDouble(), 25519, 0),
                ("t2_mae", Step(steps, 2).GetProperty("mae").GetDouble(), 26274, 0),
                ("t14_mae", Step(steps, 14).GetProperty("mae").GetDouble(), 34322, 0),
            ]);
        }),
        new("syn_lstm", "synthetic 2×LSTM(20) seq2seq, Adam 0.001, MSE, 20 epochs", "valid MSE ≈ 0.024, last-step MSE ≈ 0.0085", c =>
            SyntheticAsync(c, new { kind = "lstm", units = new[] { 20, 20 } }, 0.0085)),
        new("syn_gru", "synthetic 2×GRU(20) seq2seq", "(no figure in DESIGN's table)", c =>
            SyntheticAsync(c, new { kind = "gru", units = new[] { 20, 20 } }, null)),
        new("syn_conv_gru", "synthetic Conv1D(20,4,s2)+2×GRU(20)", "(no figure in DESIGN's table)", c =>
            SyntheticAsync(c, new { kind = "conv_gru", filters = 20, kernelSize = 4, strides = 2, units = new[] { 20, 20 } }, null)),
        new("syn_wavenet", "synthetic WaveNet (20 filters, dilations 1,2,4,8 ×2)", "(no figure in DESIGN's table)", c =>
            SyntheticAsync(c, new { kind = "wavenet", filters = 20, dilations = new[] { 1, 2, 4, 8, 1, 2, 4, 8 } }, null)),
        new("syn_ln_rnn", "synthetic 2×LN-SimpleRNN(20)", "(no figure in DESIGN's table)", c =>
            SyntheticAsync(c, new { kind = "simple_rnn", units = new[] { 20, 20 }, layerNorm = true }, null)),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = int.Parse(BenchReport.Option(args, "seed", "42")!, CultureInfo.InvariantCulture);
        var only = BenchReport.Option(args, "rows")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var url = BenchReport.Option(args, "url");
        var output = BenchReport.Option(args, "out") ?? Path.Combine(BenchReport.RepositoryRoot(), "docs", "chapter-table.md");
        var rows = Rows().Where(r => only is null || only.Contains(r.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (rows.Count == 0)
        {
            Console.Error.WriteLine($"unknown rows; choose from {string.Join(", ", Rows().Select(r => r.Name))}");
            return 2;
        }
        var csv = CtaData.FindPath();
        if (csv is null && rows.Any(r => !r.Name.StartsWith("syn_", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine(CtaData.RequiredPath);
            return 2;
        }

        ServiceProcess? service = null;
        HttpClient client;
        if (url is null)
        {
            var folder = Directory.CreateTempSubdirectory("forecasting-chapter-");
            service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "chapter.db"),
                new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Warning" });
            client = service.Client;
        }
        else client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };

        try
        {
            var ctaId = csv is null ? "" : await UploadCtaAsync(client, csv);
            string? syntheticId = null;
            var context = new Context(client, ctaId, async () => syntheticId ??= await CreateSyntheticAsync(client, seed), seed);

            if (!File.Exists(output))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                File.WriteAllText(output, "# The chapter's table through HTTP\n\nRegenerate with `dotnet run -c Release --project bench/Forecasting.Bench -- chapter` " +
                    "(options `--rows a,b`, `--seed N`, `--url U`). Every figure comes from the real service over HTTP: the CTA file is uploaded, " +
                    "each row is a POST /api/training-runs (or /api/backtests) with the chapter's settings, and the figures are read from GET /api/models/{id}.\n");
            }
            var report = new BenchReport("chapter", $"Chapter table (seed {seed})",
                "row", "model", "ours", "chapter", "met", "train s", "epochs (best)", "remark");
            var failures = 0;
            foreach (var row in rows)
            {
                Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {row.Name} …");
                try
                {
                    var outcome = await row.Run(context);
                    var ours = string.Join(", ", outcome.Figures.Select(f => $"{f.Name} {Show(f.Ours)}"));
                    var met = outcome.Figures.Where(f => f.Chapter is not null).Select(f => Met(f.Ours, f.Chapter!.Value, f.Tolerance)).ToList();
                    var metCell = met.Count == 0 ? "n/a" : met.All(m => m) ? "met" : met.Any(m => m) ? "partly" : "missed";
                    var epochs = outcome.Epochs is null ? "" : $"{outcome.Epochs} ({outcome.BestEpoch})";
                    report.Add(row.Name,
                        [row.Name, row.Title, ours, row.Chapter, metCell, outcome.Seconds is null ? "" : outcome.Seconds.Value.ToString("0.0", CultureInfo.InvariantCulture), epochs, outcome.Remark ?? ""],
                        [.. outcome.Figures.Select(f => ("ours_" + f.Name, f.Ours)),
                         .. outcome.Figures.Where(f => f.Chapter is not null).Select(f => ("chapter_" + f.Name, f.Chapter!.Value)),
                         ("seconds", outcome.Seconds ?? double.NaN), ("epochs", outcome.Epochs ?? double.NaN), ("met", met.Count == 0 ? double.NaN : met.All(m => m) ? 1 : 0)]);
                }
                catch (Exception e)
                {
                    failures++;
                    var message = e.Message.ReplaceLineEndings(" ");
                    if (message.Length > 400) message = message[..400] + "…";
                    report.Add(row.Name, [row.Name, row.Title, "FAILED", row.Chapter, "failed", "", "", message.Replace("|", "\\|")], ("failed", 1));
                }
            }
            report.Note("\"met\": statistical rows must equal the chapter's figure to the shown digits; neural rows must meet or beat it (lower error). " +
                "Neural validation metrics are MAE in riders (scaling undone) over every target of 2019-02-26..2019-05-31 (the chapter's valid_ds targets) at every step, windows taking their inputs from before the period, as the statistical kinds are scored (docs/intervals.md); " +
                "early stopping monitors the same windows, so rows with horizon 1 reproduce the chapter's validation set exactly; seq2seq early-stops on the chapter's 82 windows but scores each step on all 95 days (the chapter: the 82 windows' last step, so step k covers 2019-02-25+k..2019-05-17+k); " +
                "epochs = epochs run (best epoch, whose weights were restored). Synthetic rows: MSE of the forecast from the window end (all 10 steps = the chapter's last-step MSE), t+10 = perHorizon[9].");
            report.Publish(output);
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            if (service is not null) await service.DisposeAsync();
            else client.Dispose();
        }
    }

    private static bool Met(double ours, double chapter, double tolerance) =>
        tolerance > 0 ? Math.Abs(ours - chapter) <= tolerance : ours <= chapter;

    private static string Show(double value) => Math.Abs(value) >= 100
        ? value.ToString("#,0.0", CultureInfo.InvariantCulture)
        : BenchReport.Format(value);

    private static async Task<Outcome> NeuralAsync(Context c, object request, double chapter)
    {
        var model = await TrainAsync(c.Client, request);
        var mae = Target(Validation(model), "rail").GetProperty("mae").GetDouble();
        return Result(model, [("mae", mae, chapter, 0)]);
    }

    private static async Task<Outcome> SyntheticAsync(Context c, object modelSpec, double? chapterLast)
    {
        var model = await TrainAsync(c.Client, Synthetic(await c.SyntheticId(), modelSpec, c.Seed));
        var v = Target(Validation(model), "value");
        var steps = v.GetProperty("perHorizon");
        return Result(model, [
            ("mse", v.GetProperty("mse").GetDouble(), chapterLast, 0),
            ("t10_mse", Step(steps, 10).GetProperty("mse").GetDouble(), null, 0),
        ]);
    }

    private static Outcome Result(JsonElement model, List<(string, double, double?, double)> figures, bool exact = false, string? remark = null)
    {
        var history = model.GetProperty("history");
        int? epochs = null, best = null;
        if (!exact && history.GetArrayLength() > 0)
        {
            epochs = history.GetArrayLength();
            var bestMae = double.MaxValue;
            foreach (var e in history.EnumerateArray())
                if (e.TryGetProperty("validMae", out var m) && m.ValueKind == JsonValueKind.Number && m.GetDouble() < bestMae)
                {
                    bestMae = m.GetDouble();
                    best = e.GetProperty("epoch").GetInt32();
                }
        }
        return new Outcome(figures, model.GetProperty("trainingSeconds").GetDouble(), epochs, best, remark);
    }

    private static JsonElement Validation(JsonElement model) =>
        model.GetProperty("metrics").GetProperty("validation") is { ValueKind: JsonValueKind.Object } v
            ? v : throw new InvalidOperationException("the model has no validation metrics");

    private static JsonElement Target(JsonElement metrics, string target) => metrics.GetProperty("byTarget").GetProperty(target);

    private static JsonElement Step(JsonElement perHorizon, int step) =>
        perHorizon.EnumerateArray().First(h => h.GetProperty("step").GetInt32() == step);

    /// <summary>The rail column of the CTA file (service_date MM/dd/yyyy, day_type, bus, rail, total) between two dates.</summary>
    private static double[] ReadRail(string path, DateOnly from, DateOnly to) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split(','))
            .Select(f => (Date: DateOnly.ParseExact(f[0], "MM/dd/yyyy", CultureInfo.InvariantCulture), Rail: double.Parse(f[3], CultureInfo.InvariantCulture)))
            .Where(r => r.Date >= from && r.Date <= to).DistinctBy(r => r.Date).OrderBy(r => r.Date).Select(r => r.Rail).ToArray();

    private static async Task<string> UploadCtaAsync(HttpClient client, string path)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "cta_ridership.csv");
        form.Add(new StringContent("cta"), "name");
        form.Add(new StringContent("date,day_type,bus,rail,total"), "columnNames");
        form.Add(new StringContent("total"), "dropColumns");
        using var response = await client.PostAsync("/api/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"CTA upload answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> CreateSyntheticAsync(HttpClient client, int seed)
    {
        using var response = await client.PostAsJsonAsync("/api/datasets/synthetic", new { name = $"chapter-synthetic-seed{seed}", count = 10000, steps = 60, seed });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"synthetic dataset answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Queues a training run, polls it to the end, and returns the trained model (GET /api/models/{id}).</summary>
    private static async Task<JsonElement> TrainAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/training-runs", request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/training-runs answered {(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        var run = await PollAsync(client, $"/api/training-runs/{id}");
        return await client.GetFromJsonAsync<JsonElement>($"/api/models/{run.GetProperty("modelId").GetString()}");
    }

    private static async Task<JsonElement> BacktestAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/backtests", request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/backtests answered {(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        return await PollAsync(client, $"/api/backtests/{id}");
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string path)
    {
        var lastReport = DateTime.UtcNow;
        while (true)
        {
            var state = await client.GetFromJsonAsync<JsonElement>(path);
            var status = state.GetProperty("status").GetString();
            if (status == "succeeded") return state;
            if (status is "failed" or "cancelled")
                throw new InvalidOperationException($"{path} {status}: {(state.TryGetProperty("error", out var e) ? e.ToString() : state.ToString())}");
            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(30))
            {
                Console.Error.WriteLine($"  {path} {status} {(state.TryGetProperty("progress", out var p) ? p.ToString() : "")}");
                lastReport = DateTime.UtcNow;
            }
            await Task.Delay(250);
        }
    }
}
