using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.NeuralModels;

namespace Forecasting.Training.Tests.Neural;

/// <summary>Early stopping monitors windows whose targets lie in the validation period, inputs from before it.</summary>
public sealed class ValidationWindowTests
{
    private static DatasetFrame Frame(int length) => new(Frequency.Steps, [ColumnInfo.Numeric("y")],
        [new Series("s", 0, length, new Dictionary<string, double[]> { ["y"] = Enumerable.Range(0, length).Select(t => Math.Sin(t / 5.0)).ToArray() })]);

    private static TrainingRunSpec Spec(int horizon, ForecastStrategy strategy = ForecastStrategy.Direct) => new()
    {
        Targets = ["y"], WindowLength = 10, Horizon = horizon, Strategy = strategy,
        Model = new ModelSpec { Kind = "simple_rnn", Units = [4] },
        Training = new TrainingSettings { Epochs = 2, Seed = 1 },
    };

    private static Dictionary<string, SeriesPeriods> Periods(int trainEnd, int validEnd) =>
        new() { ["s"] = new(new IndexRange(0, trainEnd), new IndexRange(trainEnd, validEnd), null) };

    [Fact]
    public void A_validation_period_as_short_as_the_horizon_is_enough()
    {
        var kind = new SimpleRnnModelKind();
        Assert.Empty(kind.Validate(Spec(3), Frame(200), Periods(100, 103)));
        var error = Assert.Single(kind.Validate(Spec(3), Frame(200), Periods(100, 102)));
        Assert.Equal("split.validFrom", error.Field);
        Assert.Contains("at least horizon = 3 observations", error.Message);
    }

    [Fact]
    public void A_seq2seq_validation_period_needs_room_for_targets_at_every_step()
    {
        // Windows may start one step before the period (their first step targets the period's first value): 10 + 3 − 1 = 12 steps.
        var kind = new SimpleRnnModelKind();
        Assert.Empty(kind.Validate(Spec(3, ForecastStrategy.Seq2seq), Frame(200), Periods(100, 112)));
        var error = Assert.Single(kind.Validate(Spec(3, ForecastStrategy.Seq2seq), Frame(200), Periods(100, 111)));
        Assert.Contains("windowLength + horizon − 1", error.Message);
    }

    [Fact]
    public void Early_stopping_sees_every_target_of_the_validation_period()
    {
        var trained = new SimpleRnnModelKind().Train(new TrainingInput(Frame(250), Spec(1), Periods(200, 250)), null, CancellationToken.None);
        Assert.Equal(50, trained.Details!["validationWindows"]); // in-period windows were 50 − 10 = 40
        Assert.Equal(50, trained.Validation!.Count);              // the metrics score the same 50 targets
        Assert.Equal(new CalibrationReport(CalibrationSource.Validation, null, null, 50), trained.Calibration); // a plain step series has no training tail
    }
}
