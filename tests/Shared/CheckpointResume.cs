using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;
using Xunit;

namespace Forecasting.Tests.Shared;

/// <summary>
/// Fit N epochs straight, or fit k epochs, checkpoint, "crash", restore into a fresh network (other initial weights)
/// and optimiser, fit the rest: the weights, history and early-stopping outcome are identical, bit for bit. The same
/// check for every backend (the epoch loop is one; what a backend saves and restores is its own).
/// </summary>
public static class CheckpointResume
{
    /// <summary>The windows both backends' resume tests train on: 240 training and 60 validation seq2seq windows.</summary>
    public static readonly Lazy<(SequenceData Train, SequenceData Valid)> Data = new(() =>
    {
        var series = SyntheticSeries.Generate(300, 30, new Random(5));
        return (SyntheticSeries.Seq2Seq(series, 30, 0, 240, 24, 6), SyntheticSeries.Seq2Seq(series, 30, 240, 60, 24, 6));
    });

    public delegate TrainingResult Fit(Network net, SequenceData train, SequenceData valid, TrainerOptions options,
        Action<EpochReport>? onEpoch, ITrainingCheckpoints? checkpoints);

    /// <summary>Crashes after epoch 1, the middle one and the last but one, and resumes each.</summary>
    public static void AssertResumesExactly(Fit fit, NetworkSpec spec, SequenceData train, SequenceData valid, TrainerOptions options)
    {
        var straight = spec.Build(42);
        var expected = fit(straight, train, valid, options, null, new MemoryCheckpoints(_ => true));
        var untouched = spec.Build(42);
        var plain = fit(untouched, train, valid, options, null, null);
        Assert.Equal(Weights(untouched), Weights(straight)); // saving checkpoints changes nothing
        Assert.Equal(NoSeconds(plain), NoSeconds(expected));

        foreach (var crashAfter in new[] { 1, expected.History.Count / 2, expected.History.Count - 1 }.Where(k => k >= 1 && k < options.Epochs).Distinct())
        {
            var first = new MemoryCheckpoints(epoch => epoch == crashAfter) { CrashAfterSave = true };
            Assert.Throws<MemoryCheckpoints.SimulatedCrash>(() => fit(spec.Build(42), train, valid, options, null, first));
            Assert.Equal(crashAfter, first.Latest!.Epoch);

            var resumedNet = spec.Build(1234); // other initial weights: everything must come from the checkpoint
            var reported = new List<int>();
            var resumed = fit(resumedNet, train, valid, options, r => reported.Add(r.Epoch), new MemoryCheckpoints(_ => false) { Latest = first.Latest });

            Assert.Equal(Enumerable.Range(crashAfter + 1, expected.History.Count - crashAfter), reported);
            Assert.Equal(Weights(straight), Weights(resumedNet));
            Assert.Equal(NoSeconds(expected), NoSeconds(resumed));
            Assert.Equal((expected.BestEpoch, expected.BestValidMae, expected.StoppedEarly), (resumed.BestEpoch, resumed.BestValidMae, resumed.StoppedEarly));
        }
    }

    public static List<float[]> Weights(Network net) => net.Parameters.Select(p => (float[])p.Value.Clone()).ToList();

    private static List<EpochReport> NoSeconds(TrainingResult result) => result.History.Select(h => h with { Seconds = 0 }).ToList();
}
