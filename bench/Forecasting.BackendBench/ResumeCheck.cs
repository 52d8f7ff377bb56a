using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;
using Forecasting.Training.Torch;

namespace Forecasting.BackendBench;

/// <summary>
/// <c>--check-resume</c>: the checkpoint-resume check of the test suites, on a device the tests cannot reach (a GPU
/// node has no .NET SDK): 2×LSTM(16) with recurrent dropout, Adam, 4 epochs; fit straight, or crash after epoch 2 and
/// resume into a network with other initial weights. Prints how many weights differ between the two, and the largest
/// difference (0 of N: bit for bit).
/// </summary>
internal static class ResumeCheck
{
    /// <param name="dropout">False: no dropout and no early stopping (to tell a device's failure apart).</param>
    public static int Run(string backendName, TrainingDevice device, bool dropout = true)
    {
        var options = new TrainingOptions { Device = device, TorchThreads = 1 };
        INeuralBackend backend = backendName == "torch" ? new TorchNeuralBackend(options) : new ManagedNeuralBackend();
        if (backend.Unavailable() is { } why) throw new InvalidOperationException(why);
        var values = SyntheticSeries.Generate(640, 60, new Random(42));
        var (train, valid) = (SyntheticSeries.Seq2Seq(values, 60, 0, 512, 50, 10), SyntheticSeries.Seq2Seq(values, 60, 512, 128, 50, 10));
        var spec = new NetworkSpec(1, [new LstmSpec(16, true, RecurrentDropout: dropout ? 0.1f : 0), new LstmSpec(16, true), new DenseSpec(10)]);
        var trainer = new TrainerOptions { Epochs = 4, BatchSize = 32, Seed = 7, Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, Patience = dropout ? 3 : null };
        void Step(string what) => Console.Error.WriteLine($"resume check ({backendName} {device.ToWire()}{(dropout ? "" : ", no dropout")}): {what}");

        var straight = spec.Build(42);
        var expected = backend.Fit(straight, train, valid, trainer);
        Step("straight fit done");
        var crashed = new MemoryCheckpoints(epoch => epoch == 2) { CrashAfterSave = true };
        try
        {
            backend.Fit(spec.Build(42), train, valid, trainer, checkpoints: crashed);
            throw new InvalidOperationException("the fit did not stop at its checkpoint");
        }
        catch (MemoryCheckpoints.SimulatedCrash) { }
        Step("checkpoint after epoch 2 saved");
        var resumed = spec.Build(1234);
        var result = backend.Fit(resumed, train, valid, trainer, checkpoints: new MemoryCheckpoints(_ => false) { Latest = crashed.Latest });

        var (differ, total, largest) = (0, 0, 0.0);
        foreach (var (a, b) in straight.Parameters.Zip(resumed.Parameters))
            for (var i = 0; i < a.Value.Length; i++, total++)
                if (BitConverter.SingleToInt32Bits(a.Value[i]) != BitConverter.SingleToInt32Bits(b.Value[i]))
                    (differ, largest) = (differ + 1, Math.Max(largest, Math.Abs(a.Value[i] - b.Value[i])));
        var sameHistory = expected.History.Select(h => (h.TrainLoss, h.ValidMae)).SequenceEqual(result.History.Select(h => (h.TrainLoss, h.ValidMae)));
        Console.WriteLine($"RESUME {backendName} {device.ToWire()}{(dropout ? " (recurrent dropout, patience)" : " (no dropout)")}: {differ} of {total} weights differ (largest {largest:0.###e+0}); history {(sameHistory ? "identical" : "differs")}; " +
            $"valid MAE straight {expected.History[^1].ValidMae:0.######} resumed {result.History[^1].ValidMae:0.######}");
        return differ == 0 && sameHistory ? 0 : 1;
    }
}
