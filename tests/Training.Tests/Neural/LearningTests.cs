using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Data;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Training;

namespace Forecasting.Training.Tests.Neural;

/// <summary>Each model kind learns the chapter's synthetic task and beats the naive forecast (repeat the latest value) by a wide margin, in seconds.</summary>
public class LearningTests
{
    private static readonly Lazy<(float[] Vec, float[] Seq)> Series = new(() =>
        (SyntheticSeries.Generate(1200, 51, new Random(42)), SyntheticSeries.Generate(1200, 60, new Random(42))));

    public static TheoryData<string> Models => ["linear", "deep_rnn", "rnn_seq2seq", "lstm", "gru", "ln_rnn", "batchnorm_rnn", "conv_gru", "wavenet", "wavenet_gated", "lstm_dropout"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_beats_the_naive_forecast(string model)
    {
        var (vec, seq) = Series.Value;
        List<LayerSpec> layers;
        var task = "seq";
        int? steps = null;
        switch (model)
        {
            case "linear": layers = [new FlattenSpec(), new DenseSpec(1)]; task = "vec"; steps = 50; break;
            case "deep_rnn": layers = [new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(1)]; task = "vec"; break;
            case "rnn_seq2seq": layers = [new SimpleRnnSpec(20, true), new SimpleRnnSpec(20, true), new DenseSpec(10)]; break;
            case "lstm": layers = [new LstmSpec(20, true), new LstmSpec(20, true), new DenseSpec(10)]; break;
            case "gru": layers = [new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10)]; break;
            case "ln_rnn": layers = [new LayerNormSimpleRnnSpec(20, true), new LayerNormSimpleRnnSpec(20, true), new DenseSpec(10)]; break;
            case "batchnorm_rnn": layers = [new SimpleRnnSpec(20, true), new BatchNormSpec(), new SimpleRnnSpec(20, true), new BatchNormSpec(), new DenseSpec(10)]; break;
            case "conv_gru": layers = [new Conv1DSpec(20, 4, 2), new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10)]; task = "conv"; break;
            case "wavenet":
                layers = [.. new[] { 1, 2, 4, 8, 1, 2, 4, 8 }.Select(d => (LayerSpec)new Conv1DSpec(20, 2, DilationRate: d, Padding: ConvPadding.Causal, Activation: ActivationKind.Relu)), new Conv1DSpec(10, 1)];
                break;
            case "wavenet_gated": layers = [new WaveNetSpec(20, [1, 2, 4, 8, 1, 2, 4, 8]), new Conv1DSpec(10, 1)]; break;
            case "lstm_dropout": layers = [new LstmSpec(20, true, Dropout: 0.1f, RecurrentDropout: 0.1f), new LstmSpec(20, true), new DenseSpec(10)]; break;
            default: throw new ArgumentException(model);
        }
        SequenceData train, valid;
        if (task == "vec")
        {
            train = SyntheticSeries.Seq2Vec(vec, 51, 0, 1000, 50, 1);
            valid = SyntheticSeries.Seq2Vec(vec, 51, 1000, 200, 50, 1);
        }
        else
        {
            train = SyntheticSeries.Seq2Seq(seq, 60, 0, 1000, 50, 10);
            valid = SyntheticSeries.Seq2Seq(seq, 60, 1000, 200, 50, 10);
            if (task == "conv")
            {
                train = SyntheticSeries.CropTargets(train, 3, 2);
                valid = SyntheticSeries.CropTargets(valid, 3, 2);
            }
        }
        var net = new NetworkSpec(1, layers, steps).Build(42);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = Trainer.Fit(net, train, valid, new TrainerOptions { Epochs = 8, LearningRate = 0.005f, Seed = 1 });
        var naive = SyntheticSeries.NaiveMse(valid, lastStepOnly: true);
        var last = result.Last.ValidLastStepMse;
        Assert.True(last < 0.5 * naive, $"{model}: last-step MSE {last:0.00000} vs naive {naive:0.00000} after {watch.Elapsed.TotalSeconds:0.0}s");
    }
}
