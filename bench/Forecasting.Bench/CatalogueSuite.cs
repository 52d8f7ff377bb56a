using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;

namespace Forecasting.Bench;

/// <summary>
/// The statistical catalogue against R's forecast package on twenty classic series (bench/reference/classic.json,
/// made by bench/reference/classic.R): the last two seasons held out (10 points for yearly or non-seasonal series),
/// each kind trained on the rest as the service trains it (defaults, the season given), forecast from the end of
/// training with model intervals. Mean MASE (scaled by the seasonal naive in-sample error, as R's accuracy()),
/// mean sMAPE, pooled 80%/95% coverage, median seconds per series, beside R's auto.arima, ets, thetaf and snaive.
/// Options: --kinds a,b (default every statistical kind but sarima, which needs its orders, and mstl, which needs two seasons);
/// --repeat N trains each series N times and takes the median seconds (default 1). Each kind's seconds per series,
/// beside R's auto.arima, are printed as <c>SERIES</c> lines.
/// </summary>
public static class CatalogueSuite
{
    public static Task<int> RunAsync(string[] args)
    {
        var path = Path.Combine(BenchReport.RepositoryRoot(), "bench", "reference", "classic.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var series = root.GetProperty("series").EnumerateArray().Select(ClassicSeries.Read).ToList();

        var available = typeof(IUnivariateKind).Assembly.GetTypes()
            .Where(t => typeof(IModelKind).IsAssignableFrom(t) && typeof(IUnivariateKind).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IModelKind)Activator.CreateInstance(t)!)
            .ToDictionary(k => k.Name);
        // sarima needs its orders and mstl two seasons: these series have one.
        var names = BenchReport.Option(args, "kinds", null)?.Split(',') ?? [.. available.Keys.Where(n => n is not "sarima" and not "mstl").Order()];
        var repeat = int.Parse(BenchReport.Option(args, "repeat", "1")!, CultureInfo.InvariantCulture);

        var report = new BenchReport("catalogue", "Statistical catalogue against R's forecast on twenty classic series",
            "method", "mean MASE", "mean sMAPE %", "80% / 95% coverage", "median s per series", "series");
        foreach (var method in new[] { "auto_arima", "ets", "thetaf", "snaive" })
        {
            var scores = series.Select(s => s.Score(s.R[method])).ToList();
            var seconds = series.Select(s => s.R[method].Seconds).ToList();
            Add(report, $"R {method.Replace('_', '.')}", scores, method == "snaive" ? double.NaN : BenchReport.Median(seconds));
        }
        foreach (var name in names)
        {
            if (!available.TryGetValue(name, out var kind))
            {
                report.Note($"`{name}` is not a statistical kind of this build.");
                continue;
            }
            var scores = new List<Score>();
            var seconds = new List<double>();
            var failed = new List<string>();
            foreach (var s in series)
            {
                try
                {
                    var times = new List<double>();
                    HeldOutForecast? forecast = null;
                    for (var i = 0; i < repeat; i++)
                    {
                        var watch = Stopwatch.StartNew();
                        forecast = s.Forecast(kind);
                        times.Add(watch.Elapsed.TotalSeconds);
                    }
                    seconds.Add(BenchReport.Median(times));
                    scores.Add(s.Score(forecast!));
                    var r = s.R["auto_arima"].Seconds;
                    Console.WriteLine(FormattableString.Invariant($"SERIES {name} {s.Name} n={s.Train.Length} m={s.Season} seconds={seconds[^1]:0.000} r_auto_arima={r:0.000} ratio={seconds[^1] / r:0.00} mase={scores[^1].Mase:0.000} r_mase={s.Score(s.R["auto_arima"]).Mase:0.000}"));
                }
                catch (Exception e) when (e is UserInputException or InvalidOperationException or ArgumentException)
                {
                    failed.Add($"{s.Name} ({e.Message})");
                }
            }
            if (scores.Count > 0) Add(report, name, scores, BenchReport.Median(seconds));
            if (failed.Count > 0) report.Note($"`{name}` did not forecast {failed.Count} series, so its means are over the other {scores.Count} and not comparable with the rows over 20: {string.Join("; ", failed)}.");
        }
        report.Note($"R's figures: {root.GetProperty("made_with").GetString()}, seconds the median of 3 fits, load average {root.GetProperty("load_average").GetString()} when they were made. " +
            $"Ours: one training per series as the service trains (fit and its calibration), load average {File.ReadAllText("/proc/loadavg").Trim()} now; " +
            "compare seconds measured on the same machine.");
        report.Publish();
        return Task.FromResult(0);
    }

    private static void Add(BenchReport report, string method, List<Score> scores, double seconds)
    {
        var mase = scores.Average(s => s.Mase);
        var smape = scores.Average(s => s.Smape);
        var pooled = scores.Sum(s => s.Points);
        var in80 = scores.Sum(s => s.Inside80) / (double)pooled;
        var in95 = scores.Sum(s => s.Inside95) / (double)pooled;
        var coverage = scores.All(s => s.HasIntervals) ? $"{in80:0.00} / {in95:0.00}" : "–";
        report.Add(method.Replace(" ", "_"), [method, mase.ToString("0.00", CultureInfo.InvariantCulture), smape.ToString("0.0", CultureInfo.InvariantCulture),
            coverage, double.IsNaN(seconds) ? "–" : seconds.ToString("0.000", CultureInfo.InvariantCulture), scores.Count.ToString(CultureInfo.InvariantCulture)],
            ("mase", mase), ("smape", smape), ("coverage80", in80), ("coverage95", in95), ("seconds", seconds));
    }

    /// <summary>One method's forecast of the held-out values: means, and 80%/95% bounds where it gives them.</summary>
    private sealed record HeldOutForecast(double[] Mean, double[]? Lower80, double[]? Upper80, double[]? Lower95, double[]? Upper95, double Seconds);

    private sealed record Score(double Mase, double Smape, int Points, int Inside80, int Inside95, bool HasIntervals);

    private sealed record ClassicSeries(string Name, int Season, double[] Train, double[] Test, Dictionary<string, HeldOutForecast> R)
    {
        public static ClassicSeries Read(JsonElement json)
        {
            static double[]? Values(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN).ToArray() : null;
            var r = json.GetProperty("r").EnumerateObject().ToDictionary(p => p.Name, p => new HeldOutForecast(
                Values(p.Value, "mean")!, Values(p.Value, "lower80"), Values(p.Value, "upper80"), Values(p.Value, "lower95"), Values(p.Value, "upper95"),
                p.Value.GetProperty("seconds").GetDouble()));
            return new ClassicSeries(json.GetProperty("name").GetString()!, json.GetProperty("season").GetInt32(), Values(json, "train")!, Values(json, "test")!, r);
        }

        /// <summary>The kind trained on the training values as the service trains it, forecasting the held-out horizon with model intervals.</summary>
        public HeldOutForecast Forecast(IModelKind kind)
        {
            var frame = new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("y")], [new Series(Name, 0, Train.Length, new Dictionary<string, double[]> { ["y"] = Train })]);
            var seasonal = Season > 1 && kind.Traits.Fields.Any(f => f.Name == "season");
            var spec = new TrainingRunSpec { Targets = ["y"], Horizon = Test.Length, Model = new ModelSpec { Kind = kind.Name, Season = seasonal ? Season : null } };
            var periods = new Dictionary<string, SeriesPeriods> { [Name] = new(new IndexRange(0, Train.Length), null, null) };
            if (kind.Validate(spec, frame, periods).FirstOrDefault() is { } refused) throw new UserInputException($"{refused.Field}: {refused.Message}");
            var watch = Stopwatch.StartNew();
            var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);
            var seconds = watch.Elapsed.TotalSeconds;
            var forecast = trained.Model.Forecast(new ForecastQuery(frame.Series[0], Frequency.Steps, Test.Length, [80, 95], 100, Method: IntervalMethod.Model)).Single();
            return new HeldOutForecast(forecast.Mean, forecast.Lower[80], forecast.Upper[80], forecast.Lower[95], forecast.Upper[95], seconds);
        }

        public Score Score(HeldOutForecast forecast)
        {
            var lag = Season > 1 ? Season : 1;
            var scale = Enumerable.Range(lag, Train.Length - lag).Average(t => Math.Abs(Train[t] - Train[t - lag]));
            double mae = 0, smape = 0;
            int inside80 = 0, inside95 = 0;
            for (var k = 0; k < Test.Length; k++)
            {
                var (actual, mean) = (Test[k], forecast.Mean[k]);
                mae += Math.Abs(actual - mean);
                smape += 200 * Math.Abs(actual - mean) / (Math.Abs(actual) + Math.Abs(mean));
                if (forecast.Lower80 is { } l80 && actual >= l80[k] && actual <= forecast.Upper80![k]) inside80++;
                if (forecast.Lower95 is { } l95 && actual >= l95[k] && actual <= forecast.Upper95![k]) inside95++;
            }
            return new Score(mae / Test.Length / scale, smape / Test.Length, Test.Length, inside80, inside95, forecast.Lower80 is not null);
        }
    }
}
