using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Torch.Tests;

/// <summary>
/// The torch backend through the one epoch loop: fit N epochs straight, or fit k, checkpoint, "crash", restore into a
/// network with other initial weights, fit the rest: the same weights, history and early-stopping outcome, bit for bit
/// (CPU, one torch thread). The checkpoint carries the torch optimiser's moments; dropout masks are seeded per batch.
/// </summary>
public sealed class TorchCheckpointResumeTests
{
    private static readonly TorchNeuralBackend Torch = new(new TrainingOptions { TorchThreads = 1 });

    private static Lazy<(SequenceData Train, SequenceData Valid)> Data => CheckpointResume.Data;

    public static TheoryData<string> Cases => ["adam_dropout", "sgd_momentum_patience", "nadam_buffer_clip"];

    private static (List<LayerSpec> Layers, TrainerOptions Options) Case(string name) => name switch
    {
        "adam_dropout" => ([new GruSpec(12, true, Dropout: 0.2f, RecurrentDropout: 0.2f), new DropoutSpec(0.3f), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, Epochs = 6, BatchSize = 16, Seed = 3 }),
        "sgd_momentum_patience" => ([new LstmSpec(10, true, Dropout: 0.1f), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9f, LearningRate = 0.7f, Epochs = 15, BatchSize = 16, Patience = 2, Seed = 8 }),
        _ => ([new SimpleRnnSpec(8, true), new DenseSpec(6)],
            new TrainerOptions { Optimizer = OptimizerKind.Nadam, LearningRate = 0.01f, Epochs = 6, BatchSize = 16, ShuffleBuffer = 40, Patience = 3, ClipNorm = 0.5f, Seed = 5 }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_torch_fit_resumed_from_a_checkpoint_ends_with_the_uninterrupted_weights(string name)
    {
        var (layers, options) = Case(name);
        var (train, valid) = Data.Value;
        CheckpointResume.AssertResumesExactly((net, t, v, o, onEpoch, checkpoints) => Torch.Fit(net, t, v, o, onEpoch, checkpoints: checkpoints),
            new NetworkSpec(1, layers), train, valid, options);
    }

    [Fact]
    public void A_torch_checkpoint_names_its_backend()
    {
        var (layers, options) = Case("adam_dropout");
        var saved = new MemoryCheckpoints(epoch => epoch == 1) { CrashAfterSave = true };
        Assert.Throws<MemoryCheckpoints.SimulatedCrash>(() => Torch.Fit(new NetworkSpec(1, layers).Build(42), Data.Value.Train, Data.Value.Valid, options, checkpoints: saved));
        var checkpoint = TrainerCheckpoint.FromBytes(saved.Latest!.State);
        Assert.Equal(TrainingBackend.Torch, checkpoint.Backend);
        Assert.Empty(checkpoint.BackendRandomState); // dropout masks are seeded per batch from (seed, epoch, batch)
    }

    [Fact]
    public void The_patience_case_stops_early_on_torch_so_early_stopping_state_is_exercised()
    {
        var (layers, options) = Case("sgd_momentum_patience");
        var result = Torch.Fit(new NetworkSpec(1, layers).Build(42), Data.Value.Train, Data.Value.Valid, options);
        Assert.True(result.StoppedEarly, $"best epoch {result.BestEpoch} of {result.History.Count}: {string.Join(", ", result.History.Select(h => h.ValidMae))}");
        Assert.True(result.BestEpoch > 1);
    }

    [Fact]
    public void Dropout_masks_depend_on_the_seed_so_another_seed_trains_other_weights()
    {
        // The resumed runs above are exact because each batch's masks come from (seed, epoch, batch). Without shuffling
        // the seed changes nothing but the masks: same seed, same weights; another seed, other weights.
        var (layers, shuffled) = Case("adam_dropout");
        var options = shuffled with { Shuffle = false };
        var (train, valid) = Data.Value;
        var spec = new NetworkSpec(1, layers);
        var (a, b, c) = (spec.Build(42), spec.Build(42), spec.Build(42));
        Torch.Fit(a, train, valid, options);
        Torch.Fit(b, train, valid, options);
        Torch.Fit(c, train, valid, options with { Seed = options.Seed + 1 });
        Assert.Equal(CheckpointResume.Weights(a), CheckpointResume.Weights(b));
        Assert.NotEqual(CheckpointResume.Weights(a), CheckpointResume.Weights(c));
    }

    [Fact]
    public void A_checkpoint_of_the_other_backend_is_refused_before_training()
    {
        var (layers, options) = Case("adam_dropout");
        var (train, valid) = Data.Value;
        var spec = new NetworkSpec(1, layers);
        var managed = new MemoryCheckpoints(epoch => epoch == 2) { CrashAfterSave = true };
        Assert.Throws<MemoryCheckpoints.SimulatedCrash>(() => Trainer.Fit(spec.Build(42), train, valid, options, checkpoints: managed));
        var refused = Assert.Throws<CheckpointMismatchException>(() => Torch.Fit(spec.Build(42), train, valid, options, checkpoints: new MemoryCheckpoints(_ => false) { Latest = managed.Latest }));
        Assert.Contains("managed backend", refused.Message);

        var torch = new MemoryCheckpoints(epoch => epoch == 2) { CrashAfterSave = true };
        Assert.Throws<MemoryCheckpoints.SimulatedCrash>(() => Torch.Fit(spec.Build(42), train, valid, options, checkpoints: torch));
        Assert.Throws<CheckpointMismatchException>(() => Trainer.Fit(spec.Build(42), train, valid, options, checkpoints: new MemoryCheckpoints(_ => false) { Latest = torch.Latest }));
    }
}
