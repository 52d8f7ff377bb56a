using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.NeuralModels;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Models;

/// <summary>A kind's traits say what its models do: the stored format they write, and the requests the kind refuses.</summary>
public sealed class ModelKindTraitsTests
{
    private static DatasetFrame Frame(int length) => new(Frequency.Steps, [ColumnInfo.Numeric("y"), ColumnInfo.Numeric("x")],
        [new Series("s", 0, length, new Dictionary<string, double[]>
        {
            ["y"] = Enumerable.Range(0, length).Select(t => Math.Sin(t / 5.0)).ToArray(),
            ["x"] = Enumerable.Range(0, length).Select(t => (double)(t % 7)).ToArray(),
        })]);

    private static Dictionary<string, SeriesPeriods> Periods(int trainEnd, int validEnd) =>
        new() { ["s"] = new(new IndexRange(0, trainEnd), new IndexRange(trainEnd, validEnd), null) };

    private static TrainingRunSpec Spec(string kind) => new()
    {
        Targets = ["y"], WindowLength = 10, Horizon = 2,
        Model = new ModelSpec { Kind = kind, Units = kind == "simple_rnn" ? [4] : null },
        Training = new TrainingSettings { Epochs = 1, Seed = 1 },
    };

    public static TheoryData<IModelKind> Kinds() => [new NaiveModelKind(), new SimpleRnnModelKind()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_trained_model_writes_the_state_format_its_kind_declares(IModelKind kind)
    {
        var spec = Spec(kind.Name);
        var trained = kind.Train(new TrainingInput(Frame(120), spec, Periods(100, 120)), null, CancellationToken.None);
        Assert.Equal(kind.Traits.StateFormat, trained.Model.StateFormat);
        Assert.Equal(kind.Traits.StateFormat, kind.Load(trained.Model.SaveState(), spec).StateFormat);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_kind_refuses_what_its_traits_say_it_cannot_do(IModelKind kind)
    {
        var frame = Frame(120);
        var periods = Periods(100, 120);
        var spec = Spec(kind.Name);
        foreach (var strategy in Enum.GetValues<ForecastStrategy>())
            Assert.Equal(!kind.Traits.Strategies.Contains(strategy), kind.Validate(spec with { Strategy = strategy }, frame, periods).Any(e => e.Field == "strategy"));
        Assert.Equal(!kind.Traits.KnownFuture, kind.Validate(spec with { KnownFuture = ["x"] }, frame, periods).Any(e => e.Field == "knownFuture"));
        var backtest = spec with { Intervals = new IntervalsSpec { Calibration = CalibrationSource.Backtest, Windows = 3 } };
        Assert.Equal(!kind.Traits.BacktestCalibration, kind.Validate(backtest, frame, periods).Any(e => e.Field == "intervals.calibration"));
    }
}
