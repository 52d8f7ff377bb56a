using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.NeuralModels;

namespace Forecasting.Training.Torch.Tests;

/// <summary>
/// A direct model with known-future covariates reads the covariates of all h steps it forecasts; the windows are
/// built before the backend, so torch and the managed engine train on the same inputs and agree.
/// </summary>
public sealed class KnownFutureBackendTests
{
    [Fact]
    public void Both_backends_train_a_direct_model_on_every_steps_promo_alike()
    {
        const int length = 160, horizon = 4;
        var random = new Random(3);
        var series = Enumerable.Range(0, 4).Select(s =>
        {
            var level = 30 + 20 * s;
            var promo = Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
            var y = promo.Select(p => level * (1 + 0.6 * p) + random.NextDouble()).ToArray();
            return new Series($"s{s}", 0, length, new Dictionary<string, double[]> { ["y"] = y, ["promo"] = promo });
        }).ToList();
        var frame = new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("y"), ColumnInfo.Numeric("promo")], series);
        var periods = series.ToDictionary(s => s.Id, _ => new SeriesPeriods(new IndexRange(0, 120), new IndexRange(120, length), null));
        var options = new TrainingOptions { TorchThreads = 1, ManagedThreads = 1 };
        var kind = new GruModelKind(new NeuralBackends([new ManagedNeuralBackend(options), new TorchNeuralBackend(options)], options));
        TrainedModel Train(TrainingBackend backend) => kind.Train(new TrainingInput(frame, new TrainingRunSpec
        {
            Targets = ["y"], KnownFuture = ["promo"], WindowLength = 8, Horizon = horizon, Strategy = ForecastStrategy.Direct,
            Scaling = new ScalingSpec { Kind = ScalingKind.Standard },
            Model = new ModelSpec { Kind = "gru", Units = [8] },
            Training = new TrainingSettings { Epochs = 2, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Seed = 5, Backend = backend },
        }, periods), null, CancellationToken.None);

        var managed = Train(TrainingBackend.Managed);
        var torch = Train(TrainingBackend.Torch);
        Assert.Equal(["y", "next_promo", "next2_promo", "next3_promo", "next4_promo"], (IEnumerable<string>)managed.Details!["features"]);
        Assert.Equal(TrainingBackend.Torch, torch.Details!["backend"]);
        var a = managed.Validation!.PerHorizon.Select(h => h.Mae).ToArray();
        var b = torch.Validation!.PerHorizon.Select(h => h.Mae).ToArray();
        for (var h = 0; h < horizon; h++) Assert.Equal(a[h], b[h], a[h] * 1e-2);
    }
}
