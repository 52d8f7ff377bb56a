using System.Text;
using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>Format 2 adds the backend's name and random state; a format-1 checkpoint (managed, written before) still resumes.</summary>
public sealed class TrainerCheckpointFormatTests
{
    [Fact]
    public void A_format_1_checkpoint_resumes_as_a_managed_one()
    {
        var series = SyntheticSeries.Generate(200, 30, new Random(5));
        var (train, valid) = (SyntheticSeries.Seq2Seq(series, 30, 0, 150, 24, 6), SyntheticSeries.Seq2Seq(series, 30, 150, 50, 24, 6));
        var spec = new NetworkSpec(1, [new GruSpec(6, true, Dropout: 0.2f), new DenseSpec(6)]);
        var options = new TrainerOptions { Epochs = 4, BatchSize = 16, LearningRate = 0.01f, Seed = 9 };
        var saved = new MemoryCheckpoints(epoch => epoch == 2) { CrashAfterSave = true };
        Assert.Throws<MemoryCheckpoints.SimulatedCrash>(() => Trainer.Fit(spec.Build(42), train, valid, options, checkpoints: saved));
        var version2 = saved.Latest!.State;
        Assert.Equal(TrainingBackend.Managed, TrainerCheckpoint.FromBytes(version2).Backend);

        // Format 1 is format 2 without the backend's name ("managed": 1 length byte + 7) and its empty random state (int32 0).
        var header = 3 * sizeof(int);
        Assert.Equal("managed", Encoding.UTF8.GetString(version2, header + 1, 7));
        var version1 = version2[..header].Concat(version2[(header + 8 + sizeof(int))..]).ToArray();
        BitConverter.GetBytes(1).CopyTo(version1, sizeof(int));

        var fromVersion2 = spec.Build(1);
        var fromVersion1 = spec.Build(2);
        Trainer.Fit(fromVersion2, train, valid, options, checkpoints: new MemoryCheckpoints(_ => false) { Latest = saved.Latest });
        Trainer.Fit(fromVersion1, train, valid, options, checkpoints: new MemoryCheckpoints(_ => false) { Latest = saved.Latest with { State = version1 } });
        Assert.Equal(CheckpointResume.Weights(fromVersion2), CheckpointResume.Weights(fromVersion1));
    }
}
