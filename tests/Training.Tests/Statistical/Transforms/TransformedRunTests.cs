using System.Text.Json.Nodes;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical.Transforms;

/// <summary>A transformed statistical run: data outside the transform's domain, metrics on the data's scale, stored models.</summary>
public sealed class TransformedRunTests
{
    private static readonly double[] Positive = [.. Enumerable.Range(0, 72).Select(t => 100 + t + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * Math.Cos(t))];

    [Fact]
    public void In_a_panel_a_series_outside_the_domain_falls_back_and_alone_it_is_refused()
    {
        double[] withZero = [.. Positive];
        withZero[30] = 0;
        var spec = Spec(new TransformSpec { Kind = TransformKind.BoxCox, Lambda = BoxCoxLambda.Auto });
        var (frame, periods) = Frame(("a", Positive), ("b", withZero));
        var kind = new SarimaModelKind();
        Assert.Empty(kind.Validate(spec, frame, periods));

        var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);

        var b = trained.Outcomes!.Single(o => o.Series == "b");
        Assert.Equal(SeriesStatus.Fallback, b.Status);
        Assert.Equal("transform boxcox with lambda auto needs positive values, and the value at 2002-07-01 is 0", b.Reason);
        Assert.Equal(SeriesStatus.Fitted, trained.Outcomes!.Single(o => o.Series == "a").Status);

        var (alone, alonePeriods) = Frame(("b", withZero));
        var error = Assert.Single(kind.Validate(spec, alone, alonePeriods));
        Assert.Equal("transform", error.Field);
        Assert.Equal("Series 'b': transform boxcox with lambda auto needs positive values, and the value at 2002-07-01 is 0.", error.Message);
    }

    [Fact]
    public void Metrics_are_on_the_data_scale_and_intervals_are_calibrated_on_the_transformed_one()
    {
        // Seasonal naive on logs back-transforms to seasonal naive: the same points, so the same errors, in data units.
        var (frame, periods) = Frame(("a", Positive));
        var kind = new SeasonalNaiveModelKind();
        var plain = kind.Train(new TrainingInput(frame, Spec(null, "seasonal_naive"), periods), null, CancellationToken.None);
        var logged = kind.Train(new TrainingInput(frame, Spec(new TransformSpec { Kind = TransformKind.BoxCox, Lambda = new BoxCoxLambda(0) }, "seasonal_naive"), periods), null, CancellationToken.None);

        Assert.Equal(plain.Test!.Mae, logged.Test!.Mae, 1e-9 * plain.Test.Mae);
        Assert.Equal(plain.Validation!.Mae, logged.Validation!.Mae, 1e-9 * plain.Validation.Mae);
        // The intervals differ: conformal scores in log units give bounds that widen with the level of the series.
        Assert.NotEqual(plain.Test.IntervalScore!["80"], logged.Test.IntervalScore!["80"]);

        var history = new Series("a", 0, 60, new Dictionary<string, double[]> { ["y"] = Positive[..60] });
        var query = new ForecastQuery(history, Frequency.Monthly, 12, [80], 0);
        var a = Assert.Single(plain.Model.Forecast(query));
        var b = Assert.Single(logged.Model.Forecast(query));
        for (var k = 0; k < 12; k++)
        {
            Assert.Equal(a.Mean[k], b.Mean[k], 1e-9 * a.Mean[k]);
            // Symmetric on the log scale: the bounds' ratios to the point are reciprocal.
            Assert.Equal(b.Mean[k] / b.Lower[80][k], b.Upper[80][k] / b.Mean[k], 1e-9);
        }
    }

    [Fact]
    public void A_forecast_history_outside_the_domain_is_the_clients_error()
    {
        var (frame, periods) = Frame(("a", Positive));
        var spec = Spec(new TransformSpec { Kind = TransformKind.Log1p });
        var trained = new SeasonalNaiveModelKind().Train(new TrainingInput(frame, Spec(spec.Transform, "seasonal_naive"), periods), null, CancellationToken.None);
        double[] history = [.. Positive[..60]];
        history[59] = -2;
        var error = Assert.Throws<ForecastInputException>(() => trained.Model.Forecast(
            new ForecastQuery(new Series("a", Frequency.Monthly.ToOrdinal(new DateTime(2000, 1, 1)), 60, new Dictionary<string, double[]> { ["y"] = history }), Frequency.Monthly, 3, [80], 0)));
        Assert.Equal("Forecasting 'y' of series 'a': the model was fitted with transform log1p needs values above −1, and the value at 2004-12-01 is -2.", error.Message);
    }

    [Fact]
    public void A_model_stored_before_transforms_loads_and_forecasts_untransformed()
    {
        var (frame, periods) = Frame(("a", Positive));
        var spec = Spec(null);
        var kind = new SarimaModelKind();
        var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);
        var state = JsonNode.Parse(trained.Model.SaveState())!;
        state["fits"]![0]!.AsObject().Remove("transform"); // as stored before transforms
        var reloaded = kind.Load(System.Text.Encoding.UTF8.GetBytes(state.ToJsonString()), spec);
        var query = new ForecastQuery(new Series("a", Frequency.Monthly.ToOrdinal(new DateTime(2000, 1, 1)), 60, new Dictionary<string, double[]> { ["y"] = Positive[..60] }), Frequency.Monthly, 6, [80], 0);
        Assert.Equal(Assert.Single(trained.Model.Forecast(query)).Mean, Assert.Single(reloaded.Forecast(query)).Mean);
    }

    [Fact]
    public void The_kinds_own_data_checks_see_the_transformed_values()
    {
        // Multiplicative ETS needs positive data: the values are positive, their logs are not all.
        double[] small = [.. Positive.Select(v => v / 150)];
        var (frame, periods) = Frame(("a", small));
        var spec = Spec(new TransformSpec { Kind = TransformKind.BoxCox, Lambda = new BoxCoxLambda(0) }, "ets") with { Model = new ModelSpec { Kind = "ets", Ets = "MNN" } };
        var error = Assert.Single(new Training.Statistical.Ets.EtsModelKind().Validate(spec, frame, periods));
        Assert.Equal("model.ets", error.Field);
        Assert.Empty(new Training.Statistical.Ets.EtsModelKind().Validate(spec with { Transform = null }, frame, periods));
    }

    /// <summary>Every statistical family takes a transform through the shared base: each fits the series and forecasts in data units.</summary>
    [Theory]
    [InlineData("ets")]
    [InlineData("theta")]
    [InlineData("croston")]
    [InlineData("auto")]
    [InlineData("auto_sarima")]
    public void Each_statistical_kind_fits_on_the_transformed_series(string name)
    {
        IModelKind kind = name switch
        {
            "ets" => new Training.Statistical.Ets.EtsModelKind(),
            "theta" => new Training.Statistical.Theta.ThetaModelKind(),
            "croston" => new Training.Statistical.Intermittent.CrostonModelKind(),
            "auto" => new Training.Statistical.Auto.AutoModelKind(),
            _ => new AutoSarimaModelKind(),
        };
        var (frame, periods) = Frame(("a", Positive));
        var spec = Spec(new TransformSpec { Kind = TransformKind.BoxCox, Lambda = BoxCoxLambda.Auto, BiasAdjust = true }, name);
        Assert.Empty(kind.Validate(spec, frame, periods));
        var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);
        Assert.Equal(SeriesStatus.Fitted, Assert.Single(trained.Outcomes!).Status);
        var history = new Series("a", 0, 72, new Dictionary<string, double[]> { ["y"] = Positive });
        var forecast = Assert.Single(trained.Model.Forecast(new ForecastQuery(history, Frequency.Monthly, 6, [80], 0, Method: IntervalMethod.Model)));
        Assert.All(forecast.Mean, m => Assert.InRange(m, 80, 260)); // the data's level, not Box-Cox units
        Assert.InRange(trained.Test!.Mae, 0, 40);
    }

    private static TrainingRunSpec Spec(TransformSpec? transform, string kind = "sarima") => new()
    {
        Targets = ["y"], Horizon = 6, Transform = transform,
        Model = kind == "sarima" ? new ModelSpec { Kind = kind, Order = [1, 0, 0], SeasonalOrder = [0, 1, 1, 12] } : new ModelSpec { Kind = kind },
    };

    /// <summary>Monthly series from 2000-01: training 48, validation 12, test 12.</summary>
    private static (DatasetFrame Frame, Dictionary<string, SeriesPeriods> Periods) Frame(params (string Id, double[] Values)[] series)
    {
        var start = Frequency.Monthly.ToOrdinal(new DateTime(2000, 1, 1));
        var frame = new DatasetFrame(Frequency.Monthly, [ColumnInfo.Numeric("y")],
            [.. series.Select(s => new Series(s.Id, start, s.Values.Length, new Dictionary<string, double[]> { ["y"] = s.Values }))]);
        var periods = series.ToDictionary(s => s.Id, _ => new SeriesPeriods(new IndexRange(0, 48), new IndexRange(48, 60), new IndexRange(60, 72)));
        return (frame, periods);
    }
}
