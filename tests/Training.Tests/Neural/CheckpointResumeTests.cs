using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// Fit N epochs straight, or fit k epochs, checkpoint, "crash", restore into a fresh network (other initial weights)
/// and optimiser, fit the rest: the weights, history and early-stopping outcome are identical, bit for bit.
/// </summary>
public sealed class CheckpointResumeTests
{
    private static Lazy<(SequenceData Train, SequenceData Valid)> Data => CheckpointResume.Data;

    public static TheoryData<string> Cases => ["adam_dropout", "sgd_momentum_patience", "nadam_buffer", "batchnorm_sgd_nesterov", "adam_dropout_two_threads"];

    private static (List<LayerSpec> Layers, TrainerOptions Options) Case(string name) => name switch
    {
        "adam_dropout" => ([new GruSpec(12, true, Dropout: 0.2f, RecurrentDropout: 0.2f), new DropoutSpec(0.3f), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, Epochs = 6, BatchSize = 16, Seed = 3 }),
        "sgd_momentum_patience" => ([new LstmSpec(10, true, Dropout: 0.1f), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9f, LearningRate = 0.7f, Epochs = 15, BatchSize = 16, Patience = 2, Seed = 4 }),
        "adam_dropout_two_threads" => ([new GruSpec(12, true, Dropout: 0.2f, RecurrentDropout: 0.2f), new DropoutSpec(0.3f), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, Epochs = 6, BatchSize = 40, Seed = 3, Threads = 2 }),
        "nadam_buffer" => ([new SimpleRnnSpec(8, true), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Nadam, LearningRate = 0.01f, Epochs = 6, BatchSize = 16, ShuffleBuffer = 40, Patience = 3, Seed = 5 }),
        _ => ([new SimpleRnnSpec(8, true), new BatchNormSpec(), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.5f, Nesterov = true, LearningRate = 0.05f, Epochs = 6, BatchSize = 32, Seed = 6 }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fit_resumed_from_a_checkpoint_ends_with_the_uninterrupted_weights(string name)
    {
        var (layers, options) = Case(name);
        var (train, valid) = Data.Value;
        CheckpointResume.AssertResumesExactly((net, t, v, o, onEpoch, checkpoints) => Trainer.Fit(net, t, v, o, onEpoch, checkpoints: checkpoints),
            new NetworkSpec(1, layers), train, valid, options);
    }

    [Fact]
    public void The_patience_case_stops_early_so_early_stopping_state_is_exercised()
    {
        var (layers, options) = Case("sgd_momentum_patience");
        var result = Trainer.Fit(new NetworkSpec(1, layers).Build(42), Data.Value.Train, Data.Value.Valid, options);
        Assert.True(result.StoppedEarly, $"best epoch {result.BestEpoch} of {result.History.Count}: {string.Join(", ", result.History.Select(h => h.ValidMae))}");
        Assert.True(result.BestEpoch > 1);
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_is_refused_before_training()
    {
        var (layers, options) = Case("adam_dropout");
        var (train, valid) = Data.Value;
        var saved = new MemoryCheckpoints(epoch => epoch == 2) { CrashAfterSave = true };
        Assert.Throws<MemoryCheckpoints.SimulatedCrash>(() => Trainer.Fit(new NetworkSpec(1, layers).Build(42), train, valid, options, checkpoints: saved));
        var other = new NetworkSpec(1, [new GruSpec(13, true), new DenseSpec(6)]).Build(42);
        Assert.Throws<CheckpointMismatchException>(() => Trainer.Fit(other, train, valid, options, checkpoints: new MemoryCheckpoints(_ => false) { Latest = saved.Latest }));
        Assert.Throws<CheckpointMismatchException>(() => TrainerCheckpoint.FromBytes(saved.Latest!.State[..^3]));
    }
}
