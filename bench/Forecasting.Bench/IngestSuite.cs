using System.Diagnostics;
using System.Globalization;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Domain;
using Forecasting.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Bench;

/// <summary>
/// <c>ingest</c>: CSV parse + store into a temporary SQLite file, for the chapter's CTA file and for a generated
/// 1,000,000-row × 3-column file (written to a temp folder at run time, never committed).
/// Options: <c>--runs N</c> (timed runs per row, default 7), <c>--rows N</c> (big file rows, default 1,000,000).
/// </summary>
public static class IngestSuite
{
    private const double CtaGoalMs = 300, BigGoalSeconds = 5, BigGoalPeakMb = 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(BenchReport.Option(args, "runs", "7")!, CultureInfo.InvariantCulture);
        var bigRows = int.Parse(BenchReport.Option(args, "rows", "1000000")!, CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("forecasting-ingest-bench-").FullName;
        try
        {
            var report = new BenchReport("ingest", "Ingest: CSV parse + store (SQLite)",
                "data", "rows", "parse ms", "store ms", "total ms", "peak working set MB", "goal", "met");
            var connectionString = $"Data Source={Path.Combine(folder, "bench.db")}";
            await using (var db = Open(connectionString)) PersistenceSetup.MigrateSqlite(db, connectionString);

            // The big file first, so the process's peak working set is the big file's.
            var bigPath = Path.Combine(folder, "big.csv");
            WriteBigCsv(bigPath, bigRows);
            var big = await MeasureAsync(bigPath, new CsvUploadOptions(), connectionString, warmups: 0, runs: Math.Min(runs, 3));
            var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
            var bigSeconds = big.TotalMs / 1000;
            var bigMet = bigSeconds < BigGoalSeconds && peakMb < BigGoalPeakMb;
            report.Add("rows1m",
                [$"generated, {bigRows:N0} rows × 3 columns (hourly)", big.Rows.ToString("N0", CultureInfo.InvariantCulture), F(big.ParseMs), F(big.StoreMs), F(big.TotalMs), F(peakMb),
                 $"< {BigGoalSeconds} s, < {BigGoalPeakMb:0} MB", bigMet ? "yes" : "no"],
                ("rows", big.Rows), ("parse_ms", big.ParseMs), ("store_ms", big.StoreMs), ("total_ms", big.TotalMs), ("peak_ws_mb", peakMb), ("met", bigMet ? 1 : 0));

            var ctaPath = FindCta();
            if (ctaPath is null)
            {
                Console.Error.WriteLine("cta_ridership.csv not found (../shared/data or FORECASTING_CTA_CSV): the cta row is left out.");
                report.Note("The CTA row was left out: cta_ridership.csv was not found.");
            }
            else
            {
                var options = new CsvUploadOptions(ColumnNames: ["date", "day_type", "bus", "rail", "total"], DropColumns: ["total"]);
                var cta = await MeasureAsync(ctaPath, options, connectionString, warmups: 3, runs: runs);
                var ctaMet = cta.TotalMs < CtaGoalMs;
                report.Add("cta",
                    ["CTA ridership (chapter options)", cta.Rows.ToString("N0", CultureInfo.InvariantCulture), F(cta.ParseMs), F(cta.StoreMs), F(cta.TotalMs), "", $"< {CtaGoalMs:0} ms", ctaMet ? "yes" : "no"],
                    ("rows", cta.Rows), ("duplicates_dropped", cta.Duplicates), ("parse_ms", cta.ParseMs), ("store_ms", cta.StoreMs), ("total_ms", cta.TotalMs), ("met", ctaMet ? 1 : 0));
            }
            var synthetic = await MeasureSyntheticAsync(connectionString, runs: Math.Min(runs, 3));
            report.Add("synthetic",
                ["synthetic, 10,000 series × 60 steps (API default)", synthetic.Rows.ToString("N0", CultureInfo.InvariantCulture), F(synthetic.ParseMs), F(synthetic.StoreMs), F(synthetic.TotalMs), "", "", ""],
                ("rows", synthetic.Rows), ("generate_ms", synthetic.ParseMs), ("store_ms", synthetic.StoreMs), ("total_ms", synthetic.TotalMs));
            report.Note($"Medians of {runs} timed runs after 3 warm-up runs (CTA) and of {Math.Min(runs, 3)} runs without warm-up (generated file; its peak is the whole process's Process.PeakWorkingSet64). " +
                "Store = DatasetStore.CreateAsync into a temporary SQLite file (WAL), one transaction. For the synthetic row, \"parse ms\" is generation time (median of the runs after one warm-up).");
            if (File.Exists("/proc/loadavg"))
                report.Note($"Load average (1, 5, 15 min) when the suite finished: {string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} — other work on the machine inflates the timings.");
            report.Publish();
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Measurement(long Rows, int Duplicates, double ParseMs, double StoreMs)
    {
        public double TotalMs => ParseMs + StoreMs;
    }

    private static async Task<Measurement> MeasureAsync(string path, CsvUploadOptions options, string connectionString, int warmups, int runs)
    {
        var parse = new List<double>();
        var store = new List<double>();
        var totals = new List<double>();
        IngestResult? last = null;
        for (var i = 0; i < warmups + runs; i++)
        {
            var watch = Stopwatch.StartNew();
            IngestResult result;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
                result = CsvDatasetReader.Read(stream, options);
            var parsed = watch.Elapsed.TotalMilliseconds;
            if (!result.Succeeded)
                throw new InvalidOperationException($"{path}: {string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
            await using (var db = Open(connectionString))
                await new DatasetStore(db).CreateAsync($"bench {i}", result.Frame!, result.DuplicatesDropped, CancellationToken.None);
            var total = watch.Elapsed.TotalMilliseconds;
            last = result;
            if (i < warmups) continue;
            parse.Add(parsed);
            store.Add(total - parsed);
            totals.Add(total);
        }
        // Medians of each part; total is their sum so the table adds up.
        return new Measurement(last!.Frame!.Rows, last.DuplicatesDropped, BenchReport.Median(parse), BenchReport.Median(store));
    }

    /// <summary>The synthetic generator with its defaults (generate in the "parse" column), stored like an upload.</summary>
    private static async Task<Measurement> MeasureSyntheticAsync(string connectionString, int runs)
    {
        var generate = new List<double>();
        var store = new List<double>();
        long rows = 0;
        for (var i = 0; i < runs + 1; i++)
        {
            var watch = Stopwatch.StartNew();
            var frame = SyntheticDatasetGenerator.Generate(new SyntheticDatasetRequest { Name = "bench" });
            var generated = watch.Elapsed.TotalMilliseconds;
            await using (var db = Open(connectionString))
                await new DatasetStore(db).CreateAsync($"synthetic {i}", frame, 0, CancellationToken.None);
            rows = frame.Rows;
            if (i == 0) continue; // warm-up
            generate.Add(generated);
            store.Add(watch.Elapsed.TotalMilliseconds - generated);
        }
        return new Measurement(rows, 0, BenchReport.Median(generate), BenchReport.Median(store));
    }

    private static ForecastingDbContext Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ForecastingDbContext>();
        PersistenceSetup.ConfigureSqlite(options, connectionString);
        return new ForecastingDbContext(options.Options);
    }

    /// <summary>Hourly timestamps with two numeric columns (a daily cycle plus noise), like a metered load series.</summary>
    private static void WriteBigCsv(string path, int rows)
    {
        var random = new Random(42);
        using var writer = new StreamWriter(path, append: false, System.Text.Encoding.UTF8, 1 << 16);
        writer.Write("timestamp,load,temperature\n");
        var start = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Span<char> buffer = stackalloc char[32];
        for (var i = 0; i < rows; i++)
        {
            var time = start.AddHours(i);
            time.TryFormat(buffer, out var n, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            writer.Write(',');
            var load = 1000 + 300 * Math.Sin(i * Math.PI / 12) + random.Next(0, 100);
            load.TryFormat(buffer, out n, "0.##", CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            writer.Write(',');
            var temperature = 10 + 8 * Math.Sin(i * Math.PI / 4380) + random.NextDouble() * 2;
            temperature.TryFormat(buffer, out n, "0.0", CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            writer.Write('\n');
        }
    }

    private static string? FindCta()
    {
        var overridden = Environment.GetEnvironmentVariable("FORECASTING_CTA_CSV");
        if (!string.IsNullOrWhiteSpace(overridden)) return File.Exists(overridden) ? overridden : null;
        var candidate = Path.GetFullPath(Path.Combine(BenchReport.RepositoryRoot(), "..", "shared", "data", "cta_ridership.csv"));
        return File.Exists(candidate) ? candidate : null;
    }

    private static string F(double value) => value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
}
