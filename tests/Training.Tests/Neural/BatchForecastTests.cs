using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;
using Forecasting.Training.NeuralModels;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// A neural model forecasts many series as one batch through its network (<see cref="IFittedModel.ForecastBatch"/>), and
/// each series' answer equals the one it gets alone: points and interval bounds to 1e-5 relative, for each strategy, with
/// per-series scaling and a known-future covariate; a series too short for the window gets the reason it gets alone,
/// and an MC-dropout model's sampled intervals are answered alone, equal exactly.
/// </summary>
public sealed class BatchForecastTests(ITestOutputHelper output)
{
    private const int Count = 40;
    private const int Horizon = 3;

    private static DatasetFrame Panel()
    {
        var series = Enumerable.Range(0, Count).Select(i =>
        {
            var y = Enumerable.Range(0, 60).Select(t => (1 + i) * (5 + Math.Sin(2 * Math.PI * t / 7 + i) + 0.1 * ((t * (i + 3)) % 5))).ToArray();
            var x = Enumerable.Range(0, 60 + Horizon).Select(t => (double)(t % 7)).ToArray();
            return new Series($"s{i}", 0, 60, new Dictionary<string, double[]> { ["y"] = y, ["x"] = x[..60] });
        }).ToList();
        return new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("y"), ColumnInfo.Numeric("x")], series);
    }

    private static TrainingRunSpec Spec(string kind, ForecastStrategy strategy, bool knownFuture = false, double dropout = 0) => new()
    {
        Targets = ["y"], WindowLength = 8, Horizon = Horizon, Strategy = strategy, KnownFuture = knownFuture ? ["x"] : null,
        Scaling = new ScalingSpec { Kind = ScalingKind.Standard, Per = ScalingScope.Series },
        Model = new ModelSpec { Kind = kind, Units = [6], Dropout = dropout > 0 ? dropout : null },
        Training = new TrainingSettings { Epochs = 2, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Seed = 5 },
    };

    private static IFittedModel Train(IModelKind kind, TrainingRunSpec spec, DatasetFrame frame)
    {
        var periods = frame.Series.ToDictionary(s => s.Id, _ => new SeriesPeriods(new IndexRange(0, 48), new IndexRange(48, 60), null));
        return kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None).Model;
    }

    private static List<ForecastQuery> Queries(DatasetFrame frame, bool knownFuture, int samples = 1, IntervalMethod? method = null) =>
        frame.Series.Select((s, i) =>
        {
            // One history shorter than the window: its answer is the reason.
            var history = i == 7 ? new Series(s.Id, 0, 5, s.Columns.ToDictionary(c => c.Key, c => c.Value[..5])) : s;
            var future = knownFuture
                ? new Series(s.Id, history.Length, Horizon, new Dictionary<string, double[]> { ["x"] = Enumerable.Range(history.Length, Horizon).Select(t => (double)(t % 7)).ToArray() })
                : null;
            return new ForecastQuery(history, Frequency.Steps, Horizon, [80, 95], samples, future, method);
        }).ToList();

    public static TheoryData<string, ForecastStrategy, bool> Cases => new()
    {
        { "gru", ForecastStrategy.Direct, false },
        { "lstm", ForecastStrategy.Recursive, false },
        { "simple_rnn", ForecastStrategy.Seq2seq, false },
        { "gru", ForecastStrategy.Recursive, true },
        { "linear", ForecastStrategy.Direct, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_batch_answers_each_series_as_it_is_answered_alone(string kind, ForecastStrategy strategy, bool knownFuture)
    {
        var frame = Panel();
        var model = Train(Kinds.Get(kind), Spec(kind, strategy, knownFuture), frame);
        var queries = Queries(frame, knownFuture);
        var batch = model.ForecastBatch(queries);
        Assert.Equal(queries.Count, batch.Count);
        for (var i = 0; i < queries.Count; i++)
        {
            if (i == 7)
            {
                var alone = Assert.Throws<ForecastInputException>(() => model.Forecast(queries[i]));
                Assert.Null(batch[i].Forecasts);
                Assert.Equal(alone.Message, batch[i].Error);
                continue;
            }
            AssertClose(model.Forecast(queries[i]), batch[i].Forecasts!);
        }
        output.WriteLine($"{kind} {strategy}{(knownFuture ? " with known future" : "")}: largest difference from the answers alone {_largest:E2} (relative)");
    }

    [Fact]
    public void Sampled_intervals_of_a_dropout_model_are_answered_alone_and_equal()
    {
        var frame = Panel();
        var model = Train(Kinds.Get("gru"), Spec("gru", ForecastStrategy.Direct, dropout: 0.2), frame);
        var queries = Queries(frame, false, samples: 20, method: IntervalMethod.Model);
        var batch = model.ForecastBatch(queries);
        for (var i = 0; i < queries.Count; i++)
            if (i != 7) AssertClose(model.Forecast(queries[i]), batch[i].Forecasts!, exact: true);
    }

    private double _largest;

    private void AssertClose(IReadOnlyList<TargetForecast> alone, IReadOnlyList<TargetForecast> batched, bool exact = false)
    {
        Assert.Equal(alone.Select(f => f.Target), batched.Select(f => f.Target));
        foreach (var (a, b) in alone.Zip(batched))
        {
            Close(a.Mean, b.Mean, exact);
            foreach (var level in new[] { 80.0, 95.0 })
            {
                Close(a.Lower[level], b.Lower[level], exact);
                Close(a.Upper[level], b.Upper[level], exact);
            }
        }
    }

    private void Close(double[] expected, double[] actual, bool exact)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var h = 0; h < expected.Length; h++)
        {
            _largest = Math.Max(_largest, Math.Abs(expected[h] - actual[h]) / Math.Max(1, Math.Abs(expected[h])));
            if (exact) Assert.Equal(expected[h], actual[h]);
            else Assert.True(Math.Abs(expected[h] - actual[h]) <= 1e-5 * Math.Max(1, Math.Abs(expected[h])), $"step {h + 1}: {actual[h]} against {expected[h]} alone");
        }
    }

    private static class Kinds
    {
        public static IModelKind Get(string name) => name switch
        {
            "gru" => new GruModelKind(),
            "lstm" => new LstmModelKind(),
            "simple_rnn" => new SimpleRnnModelKind(),
            "linear" => new LinearModelKind(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
