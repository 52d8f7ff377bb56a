using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Intermittent;

namespace Forecasting.Training.Tests.Statistical.Intermittent;

/// <summary>The intermittent kinds through the statistical base: their checks of the request and data, and intervals clipped at zero.</summary>
public sealed class IntermittentKindTests
{
    private static double[] Intermittent(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.3 ? random.Next(1, 9) : 0.0).ToArray();
    }

    private static TrainingInput Input(double[] values, ModelSpec model, IndexRange train, IndexRange? valid = null, IntervalsSpec? intervals = null, int horizon = 4) =>
        new(new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("sales")], [new Series("shop", 0, values.Length, new Dictionary<string, double[]> { ["sales"] = values })]),
            new TrainingRunSpec { Targets = ["sales"], Horizon = horizon, Model = model, Intervals = intervals },
            new Dictionary<string, SeriesPeriods> { ["shop"] = new(train, valid, null) });

    private static IEnumerable<FieldError> Validate(IModelKind kind, TrainingInput input) => kind.Validate(input.Spec, input.Frame, input.Periods);

    public static TheoryData<string> Kinds() => ["croston", "tsb", "adida", "imapa"];

    private static IModelKind Kind(string name) => name switch
    {
        "croston" => new CrostonModelKind(),
        "tsb" => new TsbModelKind(),
        "adida" => new AdidaModelKind(),
        _ => new ImapaModelKind(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Negative_values_are_refused_naming_the_target(string name)
    {
        var values = Intermittent(60, 1);
        values[50] = -1; // in the validation period: forecasts there start from histories holding it
        var error = Assert.Single(Validate(Kind(name), Input(values, new ModelSpec { Kind = name }, new IndexRange(0, 40), new IndexRange(40, 60))));
        Assert.Equal("targets", error.Field);
        Assert.Contains("'sales'", error.Message);
        Assert.Contains("-1 at 50", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_training_period_with_fewer_than_two_demands_is_refused(string name)
    {
        double[] values = [0, 0, 3, 0, 0, 0, 0, 0, 4, 0, 2, 0];
        var error = Assert.Single(Validate(Kind(name), Input(values, new ModelSpec { Kind = name }, new IndexRange(0, 8), new IndexRange(8, 12))));
        Assert.Equal("split", error.Field);
        Assert.Contains("has 1", error.Message);
        Assert.Empty(Validate(Kind(name), Input(values, new ModelSpec { Kind = name }, new IndexRange(0, 9), new IndexRange(9, 12))));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_backtest_whose_first_refit_has_fewer_than_two_demands_is_refused(string name)
    {
        double[] values = [0, 3, 0, 0, 0, 0, 0, 0, 4, 0, 2, 0, 1, 0, 0, 5];
        var backtest = new IntervalsSpec { Calibration = CalibrationSource.Backtest, Windows = 2 };
        // Windows of 4 steps ending at 16 start at 8: the first refit sees values[..8], one demand.
        var error = Assert.Single(Validate(Kind(name), Input(values, new ModelSpec { Kind = name }, new IndexRange(0, 16), intervals: backtest)));
        Assert.Equal("intervals.windows", error.Field);
        Assert.Contains("has 1", error.Message);
    }

    [Fact]
    public void Smoothing_constants_outside_zero_to_one_are_refused()
    {
        var values = Intermittent(40, 2);
        var error = Assert.Single(Validate(new TsbModelKind(), Input(values, new ModelSpec { Kind = "tsb", Beta = 1.5 }, new IndexRange(0, 40))));
        Assert.Equal("model.beta", error.Field);
        error = Assert.Single(Validate(new CrostonModelKind(), Input(values, new ModelSpec { Kind = "croston", Alpha = -0.1 }, new IndexRange(0, 40))));
        Assert.Equal("model.alpha", error.Field);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Interval_lower_bounds_never_go_below_zero(string name)
    {
        var values = Intermittent(120, 3);
        var input = Input(values, new ModelSpec { Kind = name }, new IndexRange(0, 90), new IndexRange(90, 120));
        Assert.Empty(Validate(Kind(name), input));
        var trained = Kind(name).Train(input, null, CancellationToken.None);
        var history = input.Frame.Series[0];
        foreach (var method in new[] { IntervalMethod.Model, IntervalMethod.Conformal })
        {
            var forecast = Assert.Single(trained.Model.Forecast(new ForecastQuery(history, Frequency.Steps, 6, [80, 95], 0, null, method)));
            var lower = forecast.Lower[95];
            Assert.All(lower, v => Assert.True(v >= 0));
            // The demand's spread is larger than its mean: unclipped, the lower bound would be negative.
            Assert.Contains(lower, v => v == 0);
            Assert.All(forecast.Upper[95].Zip(forecast.Mean), p => Assert.True(p.First > p.Second));
        }
        Assert.NotNull(trained.Validation!.Coverage);
    }

    [Fact]
    public void Scored_intervals_are_the_served_ones_clipped_at_the_floor()
    {
        // Actual 0, mean 1, spread 1: the Gaussian 80% interval 1 ± 1.2816 is [0, 2.2816] when clipped, its Winkler score its width.
        var z = PredictionIntervals.ZScore(80);
        var clipped = IntervalScoring.Metrics([new ScoredForecast("sales", 1, 0, 1, 1, 0)], null, [80])!;
        var unclipped = IntervalScoring.Metrics([new ScoredForecast("sales", 1, 0, 1, 1)], null, [80])!;
        Assert.Equal(1 + z, clipped.IntervalScore!["80"], 12);
        Assert.Equal(2 * z, unclipped.IntervalScore!["80"], 12);
        Assert.Equal(1, clipped.Coverage!["80"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_stored_model_forecasts_as_the_trained_one(string name)
    {
        var values = Intermittent(100, 6);
        var input = Input(values, new ModelSpec { Kind = name }, new IndexRange(0, 80), new IndexRange(80, 100));
        var trained = Kind(name).Train(input, null, CancellationToken.None);
        var loaded = Kind(name).Load(trained.Model.SaveState(), input.Spec);
        var query = new ForecastQuery(input.Frame.Series[0], Frequency.Steps, 5, [80, 95], 0);
        var (before, after) = (Assert.Single(trained.Model.Forecast(query)), Assert.Single(loaded.Forecast(query)));
        Assert.Equal(before.Mean, after.Mean);
        Assert.Equal(before.Lower[80], after.Lower[80]);
        Assert.Equal(before.Upper[95], after.Upper[95]);
    }

    [Fact]
    public void Croston_through_the_kind_forecasts_as_the_fit_on_the_training_period()
    {
        var values = Intermittent(80, 4);
        var input = Input(values, new ModelSpec { Kind = "croston", Alpha = 0.2, Variant = CrostonVariant.Sba }, new IndexRange(0, 60), new IndexRange(60, 80));
        var trained = new CrostonModelKind().Train(input, null, CancellationToken.None);
        var forecast = Assert.Single(trained.Model.Forecast(new ForecastQuery(input.Frame.Series[0], Frequency.Steps, 3, [80], 0)));
        var fit = CrostonModel.Fit(values.AsSpan(0, 60), 0.2, CrostonVariant.Sba);
        Assert.Equal(fit.Forecast(values, 3).Mean, forecast.Mean);
    }
}
