using System.Diagnostics;
using System.Globalization;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Bench;

/// <summary>
/// Suite <c>engine</c>: the chapter's synthetic models on 7,000 train / 2,000 validation series
/// of 50 steps, batch 32, one thread. Per model: seconds per epoch (median of epochs 2..n),
/// validation MSE and last-step MSE, single-series forecast latency, 1,000-series batched
/// throughput, and allocation per epoch and per steady-state batch.
/// Options: <c>--model NAME</c> (one row), <c>--epochs N</c> (default 20).
/// </summary>
public static class EngineSuite
{
    private sealed record Row(string Name, string Title, NetworkSpec Spec, string Task, float LearningRate, string Goal, Func<double, double, double, bool>? Met);

    private static readonly int[] WaveDilations = [1, 2, 4, 8, 1, 2, 4, 8];

    private static List<Row> Rows()
    {
        List<LayerSpec> L(params LayerSpec[] layers) => [.. layers];
        var wavenet = new List<LayerSpec>();
        foreach (var d in WaveDilations) wavenet.Add(new Conv1DSpec(20, 2, DilationRate: d, Padding: ConvPadding.Causal, Activation: ActivationKind.Relu));
        wavenet.Add(new Conv1DSpec(10, 1));
        return
        [
            new("linear", "Flatten + Dense(1)", new NetworkSpec(1, L(new FlattenSpec(), new DenseSpec(1)), 50), "vec1", 0.001f,
                "MSE ≤ 0.004", (_, mse, _) => mse <= 0.004),
            new("simple_rnn1", "SimpleRNN(1)", new NetworkSpec(1, L(new SimpleRnnSpec(1))), "vec1", 0.005f, "", null),
            new("deep_rnn", "SimpleRNN(20)-SimpleRNN(20)-Dense(1)", new NetworkSpec(1, L(new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(1))), "vec1", 0.001f,
                "MSE ≤ 0.003", (_, mse, _) => mse <= 0.003),
            new("rnn2x20_seq2seq", "2×SimpleRNN(20) seq2seq + Dense(10)", new NetworkSpec(1, L(new SimpleRnnSpec(20, true), new SimpleRnnSpec(20, true), new DenseSpec(10))), "seq", 0.01f,
                "≤ 0.1 s/epoch", (sec, _, _) => sec <= 0.1),
            new("lstm2x20", "2×LSTM(20) seq2seq + Dense(10)", new NetworkSpec(1, L(new LstmSpec(20, true), new LstmSpec(20, true), new DenseSpec(10))), "seq", 0.001f,
                "≤ 0.25 s/epoch, last MSE ≤ 0.0085", (sec, _, last) => sec <= 0.25 && last <= 0.0085),
            new("gru2x20", "2×GRU(20) seq2seq + Dense(10)", new NetworkSpec(1, L(new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10))), "seq", 0.001f,
                "≤ 0.25 s/epoch, last MSE ≤ 0.011", (sec, _, last) => sec <= 0.25 && last <= 0.011),
            new("ln_rnn", "2×LN-SimpleRNN(20) seq2seq + Dense(10)", new NetworkSpec(1, L(new LayerNormSimpleRnnSpec(20, true), new LayerNormSimpleRnnSpec(20, true), new DenseSpec(10))), "seq", 0.001f, "", null),
            new("conv_gru", "Conv1D(20,4,s2) + 2×GRU(20) + Dense(10)", new NetworkSpec(1, L(new Conv1DSpec(20, 4, 2), new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10))), "conv", 0.001f, "", null),
            new("wavenet", "causal Conv1D×8 (d 1,2,4,8 ×2) + Conv1D(10,1)", new NetworkSpec(1, wavenet), "seq", 0.001f,
                "≤ 0.2 s/epoch", (sec, _, _) => sec <= 0.2),
            new("wavenet_gated", "WaveNet gated residual ×8 + Conv1D(10,1)", new NetworkSpec(1, L(new WaveNetSpec(20, WaveDilations), new Conv1DSpec(10, 1))), "seq", 0.001f, "", null),
        ];
    }

    public static Task<int> RunAsync(string[] args)
    {
        var only = BenchReport.Option(args, "model");
        var epochs = int.Parse(BenchReport.Option(args, "epochs", "20")!, CultureInfo.InvariantCulture);
        var rows = Rows().Where(r => only is null || r.Name.Equals(only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (rows.Count == 0)
        {
            Console.Error.WriteLine($"unknown model; one of {string.Join(", ", Rows().Select(r => r.Name))}");
            return Task.FromResult(2);
        }
        // The chapter's data: seed 42, 7,000 train / 2,000 validation series of 50 steps.
        var vec = SyntheticSeries.Generate(10000, 51, new Random(42));
        var seq = SyntheticSeries.Generate(10000, 60, new Random(42));
        var data = new Dictionary<string, (SequenceData Train, SequenceData Valid)>
        {
            ["vec1"] = (SyntheticSeries.Seq2Vec(vec, 51, 0, 7000, 50, 1), SyntheticSeries.Seq2Vec(vec, 51, 7000, 2000, 50, 1)),
            ["seq"] = (SyntheticSeries.Seq2Seq(seq, 60, 0, 7000, 50, 10), SyntheticSeries.Seq2Seq(seq, 60, 7000, 2000, 50, 10)),
        };
        data["conv"] = (SyntheticSeries.CropTargets(data["seq"].Train, 3, 2), SyntheticSeries.CropTargets(data["seq"].Valid, 3, 2));

        var loadBefore = LoadAverage();
        var report = new BenchReport("engine", "Engine: the chapter's synthetic models (one thread)",
            "model", "params", "s/epoch", "CPU s/epoch", "valid MSE", "last-step MSE", "naive last MSE", "forecast ms", "batch series/s", "alloc B/epoch", "alloc B/batch", "goal", "met");
        foreach (var row in rows)
        {
            var (train, valid) = data[row.Task];
            var net = row.Spec.Build(42);
            var options = new TrainerOptions { Epochs = epochs, BatchSize = 32, LearningRate = row.LearningRate, Seed = 42 };
            var allocAt = new List<long>();
            var cpuAt = new List<double>();
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            long allocStart = GC.GetAllocatedBytesForCurrentThread();
            var result = Trainer.Fit(net, train, valid, options, e =>
            {
                allocAt.Add(GC.GetAllocatedBytesForCurrentThread());
                cpuAt.Add(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {row.Name} epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:0.00000} val_mse {e.ValidMse:0.00000} val_last {e.ValidLastStepMse:0.00000} {e.Seconds:0.000}s"));
            });
            var secPerEpoch = BenchReport.Median(result.History.Skip(1).Select(h => h.Seconds).DefaultIfEmpty(result.History[0].Seconds));
            // CPU seconds of this process per epoch: what the epoch costs when the machine is shared.
            var cpuPerEpoch = cpuAt.Count >= 2 ? BenchReport.Median(cpuAt.Zip(cpuAt.Skip(1), (a, b) => b - a)) : cpuAt[0] - cpuStart;
            var allocPerEpoch = allocAt.Count >= 3 ? BenchReport.Median(allocAt.Zip(allocAt.Skip(1), (a, b) => (double)(b - a)).Skip(1)) : double.NaN;
            var allocPerBatch = MeasureBatchAllocation(net, train);
            var last = result.Last;
            var (latencyMs, throughput) = MeasureInference(net, valid);
            var naive = SyntheticSeries.NaiveMse(valid, lastStepOnly: true);
            var met = row.Met is null ? "" : row.Met(secPerEpoch, last.ValidMse, last.ValidLastStepMse) ? "yes" : "no";
            report.Add(row.Name,
                [row.Name, net.ParameterCount.ToString(CultureInfo.InvariantCulture), F(secPerEpoch, "0.000"), F(cpuPerEpoch, "0.000"), F(last.ValidMse, "0.00000"), F(last.ValidLastStepMse, "0.00000"),
                 F(naive, "0.0000"), F(latencyMs, "0.0000"), F(throughput, "0"), F(allocPerEpoch, "0"), F(allocPerBatch, "0"), row.Goal, met],
                ("sec_per_epoch", secPerEpoch), ("cpu_sec_per_epoch", cpuPerEpoch), ("valid_mse", last.ValidMse), ("valid_last_mse", last.ValidLastStepMse),
                ("forecast_ms", latencyMs), ("batch_series_per_s", throughput), ("alloc_bytes_per_epoch", allocPerEpoch), ("alloc_bytes_per_batch", allocPerBatch),
                ("epochs", result.History.Count), ("params", net.ParameterCount));
        }
        report.Note($"{epochs} epochs, Adam (lr 0.001 unless the chapter uses another: SimpleRNN(1) 0.005, 2×SimpleRNN seq2seq 0.01), batch 32, seed 42; " +
                    "s/epoch is the median of epochs 2..n and includes the validation pass; 'valid MSE' is over all outputs, 'last-step MSE' over the last time step; " +
                    "forecast ms is the median single-series latency (of 21 × 100 calls after ≥ 1 s of warm-up); batch series/s predicts 1,000 validation series at once; " +
                    "alloc B/batch is measured around 50 steady-state training batches after ≥ 300 warm-up batches and ≥ 1 s (0 = nothing allocated per batch); alloc B/epoch includes the per-epoch report and validation.");
        report.Note($"Load average (1 min) at start {loadBefore}, at end {LoadAverage()} on {Environment.ProcessorCount} cores: wall-clock figures " +
                    "include time the engine's single thread waited for a core; 'CPU s/epoch' is this process's processor time per epoch.");
        if (only is null) report.Publish();
        else Console.WriteLine(report.ToMarkdown());
        return Task.FromResult(0);
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static string F(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    private static double MeasureBatchAllocation(Network net, SequenceData train)
    {
        var ws = net.GetWorkspace(train.Steps, LaneMath.LanesFor(32));
        var loss = new MeanSquaredError();
        var optimizer = new Forecasting.Training.Neural.Optimizers.AdamOptimizer(0f);
        var mode = new RunMode(true, true, new Random(1), 32);
        var order = Enumerable.Range(0, 32).ToArray();
        var snapshot = net.CopyWeights();
        // Warm up for at least 300 batches and one second, so tiered JIT promotion has finished.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 300 || warm.Elapsed < TimeSpan.FromSeconds(1); i++) Trainer.TrainBatch(net, train, order, ws, mode, loss, optimizer);
        // Measured twice; the first window can include one-off runtime work (tiering, OSR) of the probe itself.
        Window(net, train, order, ws, mode, loss, optimizer);
        var bytes = Window(net, train, order, ws, mode, loss, optimizer);
        net.RestoreWeights(snapshot);
        return bytes / 50.0;
    }

    private static long Window(Network net, SequenceData train, int[] order, Workspace ws, RunMode mode, Loss loss, Forecasting.Training.Neural.Optimizers.Optimizer optimizer)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++) Trainer.TrainBatch(net, train, order, ws, mode, loss, optimizer);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static (double LatencyMs, double SeriesPerSecond) MeasureInference(Network net, SequenceData valid)
    {
        var (outSteps, outFeatures) = net.OutputShape(valid.Steps);
        var output = new float[outSteps * outFeatures];
        var one = valid.Inputs.AsSpan(0, valid.Steps * valid.Features).ToArray();
        // At least 200 calls and one second: training never ran the single-series code, so tiered JIT must promote it first.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 200 || warm.Elapsed < TimeSpan.FromSeconds(1); i++) net.Predict(one, output);
        var times = new List<double>();
        for (var rep = 0; rep < 21; rep++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 100; i++) net.Predict(one, output);
            times.Add(sw.Elapsed.TotalMilliseconds / 100);
        }
        var thousand = valid.Slice(0, 1000);
        net.Predict(thousand);
        var batchTimes = new List<double>();
        for (var rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            net.Predict(thousand);
            batchTimes.Add(sw.Elapsed.TotalSeconds);
        }
        return (BenchReport.Median(times), 1000 / BenchReport.Median(batchTimes));
    }
}
