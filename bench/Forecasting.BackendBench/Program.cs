using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Forecasting.BackendBench;
using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Training;
using Forecasting.Training.Torch;

// dotnet run -c Release --project bench/Forecasting.BackendBench -- [--configs chapter,lstm128] [--threads 1,2]
//   [--device cpu|cuda] [--epochs 3] [--series 7000] [--large-series 1024] [--backends managed,torch] [--row-timeout 600]
//   or --sweep, or --check-resume [--backends torch|managed] [--device cpu|cuda] [--no-dropout] (ResumeCheck)
// Each (configuration, backend, threads) row runs in its own process, so peak memory is that row's. --series is the
// chapter configuration's training series, --large-series the others'; validation 2/7 as many (256 to 2,000).
// Managed rows train on exactly the row's threads; the auto column is what training.backend auto picks on this host
// with the default configuration (all cores for both backends), backend and threads.
string? Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var device = Option("device", "cpu")!;
var trainingDevice = WireNames.TryParse<TrainingDevice>(device, out var parsedDevice) ? parsedDevice
    : throw new ArgumentException($"--device must be one of {string.Join(", ", WireNames.All(typeof(TrainingDevice)))}, not '{device}'.");
var epochs = int.Parse(Option("epochs", "3")!, CultureInfo.InvariantCulture);
var series = int.Parse(Option("series", "7000")!, CultureInfo.InvariantCulture);
var largeSeries = int.Parse(Option("large-series", "1024")!, CultureInfo.InvariantCulture);
var rowTimeout = int.Parse(Option("row-timeout", "600")!, CultureInfo.InvariantCulture);
int SeriesOf(string config) => config == "chapter" ? series : largeSeries;
if (Option("row") is { } row)
{
    var parts = row.Split(':');
    var result = Row.Run(BenchConfig.All.Single(c => c.Name == parts[0]), parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture), trainingDevice, epochs, SeriesOf(parts[0]));
    Console.WriteLine("ROW " + JsonSerializer.Serialize(result));
    return 0;
}

if (args.Contains("--sweep")) return Sweep.Run(epochs);
if (args.Contains("--check-resume")) return ResumeCheck.Run(Option("backends", "torch")!, trainingDevice, !args.Contains("--no-dropout"));

var configs = (Option("configs") ?? "chapter,lstm128").Split(',');
var threads = (Option("threads") ?? $"1,{Environment.ProcessorCount}").Split(',').Select(int.Parse).Distinct().ToArray();
var backends = (Option("backends") ?? "managed,torch").Split(',');
Console.WriteLine($"# Backends: {Environment.ProcessorCount} cores, device {device}, {series} training series (chapter), {largeSeries} (large), {epochs} epochs per row; load average {Row.LoadAverage()}");
Console.WriteLine();
Console.WriteLine("| configuration | backend | device | threads | s/epoch | fastest s/epoch | CPU s/epoch | peak memory MB | managed alloc B/epoch | valid MSE | auto here | forward vs managed |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var name in configs)
{
    var config = BenchConfig.All.Single(c => c.Name == name);
    var auto = Row.Auto(config, trainingDevice);
    foreach (var backend in backends)
        foreach (var t in threads)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
            foreach (var a in new[] { "--row", $"{name}:{backend}:{t}", "--device", backend == "managed" ? "cpu" : device, "--epochs", $"{epochs}", "--series", $"{series}", "--large-series", $"{largeSeries}" })
                info.ArgumentList.Add(a);
            using var child = Process.Start(info)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(TimeSpan.FromSeconds(rowTimeout)))
            {
                child.Kill(entireProcessTree: true);
                Console.WriteLine($"| {config.Title} | {backend} | {device} | {t} | > {rowTimeout} s for {epochs} epochs; stopped | | | | | | {auto} | |");
                continue;
            }
            var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith("ROW ", StringComparison.Ordinal));
            if (line is null)
            {
                Console.WriteLine($"| {config.Title} | {backend} | {device} | {t} | failed: {(await stderr).Split('\n').FirstOrDefault(l => l.Length > 0)} | | | | | | | |");
                continue;
            }
            var r = JsonSerializer.Deserialize<RowResult>(line[4..])!;
            Console.WriteLine($"| {config.Title} | {backend} | {r.Device} | {r.Threads} | {r.SecondsPerEpoch:F2} | {r.FastestSecondsPerEpoch:F2} | {r.CpuSecondsPerEpoch:F2} | {r.PeakMegabytes:F0} | {r.AllocatedBytes} | {r.ValidMse:F4} | {auto} | {r.Parity:0.0e+0} |");
        }
}
return 0;

/// <summary><paramref name="AllocatedBytes"/>: managed-heap bytes of the last epoch, every thread (training, validation, the report).</summary>
internal sealed record RowResult(string Device, int Threads, double SecondsPerEpoch, double FastestSecondsPerEpoch, double CpuSecondsPerEpoch, double PeakMegabytes, double ValidMse, double Parity, long AllocatedBytes);

internal static class Row
{
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>What training.backend auto picks for the configuration on this host (all cores for both backends): "backend ×threads".</summary>
    public static string Auto(BenchConfig config, TrainingDevice device)
    {
        var options = new TrainingOptions { Device = device };
        var managed = new ManagedNeuralBackend(options);
        var chosen = new NeuralBackends([managed, new TorchNeuralBackend(options)], options).Choose(TrainingBackend.Auto, config.Spec, config.BatchSize).Backend;
        var threads = chosen == managed ? managed.Threads(config.Spec, config.BatchSize).Threads : device == TrainingDevice.Cuda ? 1 : options.EffectiveTorchThreads;
        return $"{chosen.Kind.ToWire()} ×{threads}";
    }

    /// <summary>Trains one row; the epoch time is the mean over the epochs after the first (warm-up), when there are several.</summary>
    public static RowResult Run(BenchConfig config, string backendName, int threads, TrainingDevice device, int epochs, int series)
    {
        // Loads libtorch first, so that a failure shows TorchSharp's whole message (the backend reports its first line).
        if (backendName == "torch") TorchSharp.torch.InitializeDeviceType(device == TrainingDevice.Cuda ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU);
        var options = new TrainingOptions { Device = device, TorchThreads = threads };
        INeuralBackend backend = backendName == "torch" ? new TorchNeuralBackend(options) : new ManagedNeuralBackend(options);
        if (backend.Unavailable() is { } why) throw new InvalidOperationException(why);
        var (train, valid) = config.Data(series);
        var network = config.Spec.Build(42);
        // Forward parity with the managed engine from the initial weights (256 validation windows).
        var probe = new SequenceData(valid.Inputs[..(256 * valid.Steps * valid.Features)], 256, valid.Steps, valid.Features);
        var (expected, actual) = (network.Predict(probe), backend.Predict(network, probe));
        var parity = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() / Math.Max(1e-12, expected.Max(Math.Abs));
        var trainer = new TrainerOptions { Epochs = epochs, BatchSize = config.BatchSize, Seed = 42, Threads = threads };
        var cpu = new List<double>();
        var allocated = new List<long>();
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        void OnEpoch(EpochReport _)
        {
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            cpu.Add((now - before).TotalSeconds);
            before = now;
            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            allocated.Add(bytes - bytesBefore);
            bytesBefore = bytes;
        }
        // Managed rows train on exactly the row's threads (Trainer.Fit), not on what the backend's rule would pick.
        var result = backendName == "torch" ? backend.Fit(network, train, valid, trainer, OnEpoch) : Trainer.Fit(network, train, valid, trainer, OnEpoch);
        var skip = result.History.Count > 1 ? 1 : 0;
        return new RowResult(backendName == "torch" ? device.ToWire() : "cpu", result.Threads,
            result.History.Skip(skip).Average(e => e.Seconds), result.History.Skip(skip).Min(e => e.Seconds), cpu.Skip(skip).Average(),
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, result.History[^1].ValidMse, parity, allocated[^1]);
    }
}
