using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>Conformal calibration on a backtest (intervals.calibration: backtest), as StatsForecast's ConformalIntervals(h, n_windows).</summary>
public sealed class BacktestCalibrationTests
{
    private static double[] RandomWalk(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var t = 1; t < length; t++) values[t] = values[t - 1] + random.NextDouble() * 2 - 1;
        return values;
    }

    private static TrainingInput Input(double[] values, IndexRange train, IndexRange? valid, IndexRange? test, ModelSpec model, int horizon, int windows) =>
        new(new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("y")], [new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values })]),
            new TrainingRunSpec
            {
                Targets = ["y"], Horizon = horizon, Model = model,
                Intervals = new IntervalsSpec { Calibration = CalibrationSource.Backtest, Windows = windows },
            },
            new Dictionary<string, SeriesPeriods> { ["s"] = new(train, valid, test) });

    [Fact]
    public void Scores_come_from_n_windows_of_h_steps_ending_where_the_validation_data_end()
    {
        var values = RandomWalk(500, 3);
        const int horizon = 3, windows = 20;
        var input = Input(values, new IndexRange(0, 400), new IndexRange(400, 450), new IndexRange(450, 500), new ModelSpec { Kind = "naive" }, horizon, windows);
        var trained = new NaiveModelKind().Train(input, null, CancellationToken.None);

        // Independently: origins 450 − w·3 (w = 20..1), each forecasting its next 3 values from the last value before it,
        // measured in the trained fit's spread σ·√k (σ² from the training period).
        var sigma = Math.Sqrt(NaiveModel.Fit(values.AsSpan(0, 400), 1).ResidualVariance);
        var calibration = trained.Model.Calibration!;
        for (var k = 1; k <= horizon; k++)
        {
            var scores = Enumerable.Range(1, windows).Select(w => 450 - w * horizon)
                .Select(origin => Math.Abs(values[origin + k - 1] - values[origin - 1]) / (sigma * Math.Sqrt(k))).Order().ToArray();
            Assert.Equal(windows, calibration.Targets["y"][k - 1].Count);
            Assert.Equal(scores[16], calibration.Quantile("y", k, 80), 12); // ⌈21 · 0.8⌉ = 17th smallest
            Assert.Equal(scores[19], calibration.Quantile("y", k, 95), 12); // ⌈21 · 0.95⌉ = 20th
        }
        Assert.Equal(new CalibrationReport(CalibrationSource.Backtest, windows, horizon, windows * horizon), trained.Calibration);
        Assert.NotNull(trained.Test!.Coverage);
    }

    [Fact]
    public void Refitted_sarima_on_gaussian_ar1_gives_the_normal_quantiles()
    {
        // AR(1), φ = 0.7, unit Gaussian noise: each refit's one-step errors are the noise, so the scores |e|/σ are |N(0, 1)|.
        var random = new Random(7);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var values = new double[700];
        for (var t = 1; t < values.Length; t++) values[t] = 0.7 * values[t - 1] + Gaussian();
        var input = Input(values, new IndexRange(0, 700), null, null, new ModelSpec { Kind = "sarima", Order = [1, 0, 0] }, 1, 200);
        var trained = new SarimaModelKind().Train(input, null, CancellationToken.None);

        // No validation period, yet the model is calibrated (on its last 200 training steps, each refitted on the data before it).
        var calibration = trained.Model.Calibration!;
        Assert.Equal(200, calibration.Targets["y"][0].Count);
        Assert.InRange(calibration.Quantile("y", 1, 80), 1.28 - 0.25, 1.28 + 0.25);
        Assert.InRange(calibration.Quantile("y", 1, 95), 1.96 - 0.35, 1.96 + 0.35);
        Assert.Null(trained.Validation);
    }

    [Fact]
    public void Windows_reaching_before_the_training_data_are_refused_naming_the_field()
    {
        var values = RandomWalk(100, 1);
        var input = Input(values, new IndexRange(0, 80), new IndexRange(80, 100), null, new ModelSpec { Kind = "naive" }, 5, 20);
        var errors = new NaiveModelKind().Validate(input.Spec, input.Frame, input.Periods).ToList();
        var error = Assert.Single(errors);
        Assert.Equal("intervals.windows", error.Field);
        Assert.Contains("100 steps before the end", error.Message);

        var fits = Input(values, new IndexRange(0, 80), new IndexRange(80, 100), null, new ModelSpec { Kind = "naive" }, 5, 19);
        Assert.Empty(new NaiveModelKind().Validate(fits.Spec, fits.Frame, fits.Periods)); // 5 observations before the first origin

        var tooFew = Input(values, new IndexRange(0, 80), new IndexRange(80, 100), null, new ModelSpec { Kind = "naive" }, 1, 99);
        error = Assert.Single(new NaiveModelKind().Validate(tooFew.Spec, tooFew.Frame, tooFew.Periods));
        Assert.Equal("intervals.windows", error.Field);
        Assert.Contains("leaving 1 observations for the first refit: The naive model needs at least 2", error.Message);
    }
}
