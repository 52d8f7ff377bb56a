using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// A layer-normalised RNN trains to finite losses with recurrent dropout. (Input dropout is refused by the
/// service for these cells: a dropped univariate input makes every pre-activation equal, and LayerNorm's
/// backward then multiplies the gradient by 1/√ε ≈ 31.6 per step, overflowing over 50 steps.)
/// </summary>
public sealed class LayerNormDropoutTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    public void Layer_normalised_rnn_with_recurrent_dropout_trains_to_finite_losses(float recurrentDropout)
    {
        var series = SyntheticSeries.Generate(300, 60, new Random(1));
        var train = SyntheticSeries.Seq2Seq(series, 60, 0, 200, 50, 10);
        var valid = SyntheticSeries.Seq2Seq(series, 60, 200, 100, 50, 10);
        var net = new NetworkSpec(1, [new LayerNormSimpleRnnSpec(20, true, 0, recurrentDropout), new DenseSpec(10)]).Build(3);
        var result = Trainer.Fit(net, train, valid, new TrainerOptions { Loss = LossKind.Mse, Epochs = 2, BatchSize = 32 });
        Assert.All(result.History, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValidMae), $"epoch {e.Epoch}: {e}"));
        var samples = net.PredictSamples(valid, 3, seed: 1);
        Assert.All(samples.SelectMany(s => s), v => Assert.True(float.IsFinite(v)));
    }
}
