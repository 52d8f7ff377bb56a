using System.Diagnostics;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.BackendBench;

/// <summary>
/// <c>--sweep</c>: the managed engine on one thread and on all cores over a grid of 2×LSTM(units) seq2seq sizes and
/// batch sizes (8 batches per epoch, no validation; fastest epoch after the first): the data behind
/// <see cref="ManagedThreadsRule.Threshold"/>. The fastest epoch, so that moments another process held the cores
/// count as little as they can.
/// </summary>
internal static class Sweep
{
    public static int Run(int epochs)
    {
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"# Managed threads sweep: {cores} cores, load average {Row.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| model | batch | work | s/batch 1 thread | s/batch {cores} threads | speed-up |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var units in new[] { 20, 40, 64, 128 })
            foreach (var batch in new[] { 32, 64, 128, 256 })
            {
                var spec = new NetworkSpec(1, [new LstmSpec(units, true), new LstmSpec(units, true), new DenseSpec(10)]);
                var values = SyntheticSeries.Generate(batch * 8, 60, new Random(42));
                var train = SyntheticSeries.Seq2Seq(values, 60, 0, batch * 8, 50, 10);
                double Fastest(int threads)
                {
                    var result = Trainer.Fit(spec.Build(42), train, null, new TrainerOptions { Epochs = epochs, BatchSize = batch, Threads = threads });
                    return result.History.Skip(1).Min(h => h.Seconds) / 8;
                }
                var one = Fastest(1);
                var all = Fastest(cores);
                Console.WriteLine($"| 2×LSTM({units}) | {batch} | {AutoBackendRule.Work(spec, batch):0.0e+0} | {one:0.0000} | {all:0.0000} | {one / all:0.00} |");
            }
        Console.WriteLine();
        Console.WriteLine($"load average at the end {Row.LoadAverage()}");
        return 0;
    }
}
