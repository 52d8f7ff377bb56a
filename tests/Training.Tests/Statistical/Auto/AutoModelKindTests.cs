using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;
using Forecasting.Training.Statistical.Auto;
using Forecasting.Training.Statistical.Ets;
using Forecasting.Training.Statistical.Theta;

namespace Forecasting.Training.Tests.Statistical.Auto;

/// <summary><c>auto</c>: selection by rolling-origin cross-validation, the ensemble's mean, what it reports, and its stored form.</summary>
public sealed class AutoModelKindTests
{
    private static double[] WeeklyWithNoise(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(t => 50 + 10 * Math.Sin(2 * Math.PI * t / 7) + random.NextDouble()).ToArray();
    }

    private static double[] RandomWalk(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        values[0] = 100;
        for (var t = 1; t < length; t++) values[t] = values[t - 1] + random.NextDouble() * 10 - 5;
        return values;
    }

    private static TrainingInput Input(double[] values, ModelSpec model, int horizon) =>
        new(new DatasetFrame(Frequency.Daily, [ColumnInfo.Numeric("y")], [new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values })]),
            new TrainingRunSpec { Targets = ["y"], Horizon = horizon, Model = model },
            new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, values.Length), null, null) });

    private static JsonElement FitDetails(TrainedModel trained) =>
        JsonSerializer.SerializeToElement(trained.Details, new JsonSerializerOptions(JsonSerializerDefaults.Web)).GetProperty("fits")[0];

    [Fact]
    public void Selection_scores_every_candidate_by_its_own_refits_and_keeps_the_lowest()
    {
        var values = RandomWalk(150, 4);
        const int horizon = 5, windows = 3;
        var trained = new AutoModelKind().Train(Input(values, new ModelSpec { Kind = "auto", Windows = windows }, horizon), null, CancellationToken.None);
        var details = FitDetails(trained);

        // Independently: each candidate refitted before each of the 3 windows of 5 steps at the end, its MAE over the 15 forecasts.
        double Mae(IUnivariateKind kind)
        {
            double total = 0;
            for (var w = windows; w >= 1; w--)
            {
                var origin = values.Length - w * horizon;
                var fit = kind.Fit(values.AsSpan(0, origin), new ModelSpec { Kind = kind.Name }, Frequency.Daily, CancellationToken.None);
                var mean = fit.Forecast(values.AsSpan(0, origin), horizon).Mean;
                for (var k = 0; k < horizon; k++) total += Math.Abs(values[origin + k] - mean[k]);
            }
            return total / (windows * horizon);
        }
        var expected = new IUnivariateKind[] { new SeasonalNaiveModelKind(), new NaiveModelKind() }.ToDictionary(k => k.Name, Mae);
        var scores = details.GetProperty("scores").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!, s => s.GetProperty("mae"));
        Assert.Contains("auto_sarima", scores.Keys);
        foreach (var (kind, mae) in expected) Assert.Equal(mae, scores[kind].GetDouble(), 9);
        var lowest = scores.Where(s => s.Value.ValueKind == JsonValueKind.Number).MinBy(s => s.Value.GetDouble()).Key;
        Assert.Equal(lowest, Assert.Single(details.GetProperty("chosen").EnumerateArray()).GetString());
        Assert.Equal("select", details.GetProperty("mode").GetString());
    }

    [Fact]
    public void A_weekly_series_chooses_a_seasonal_method_and_forecasts_as_that_method_does()
    {
        var values = WeeklyWithNoise(140, 2);
        var trained = new AutoModelKind().Train(Input(values, new ModelSpec { Kind = "auto" }, 7), null, CancellationToken.None);
        var chosen = Assert.Single(FitDetails(trained).GetProperty("chosen").EnumerateArray()).GetString()!;
        Assert.NotEqual("naive", chosen);

        IUnivariateKind kind = new IUnivariateKind[] { new EtsModelKind(), new AutoSarimaModelKind(), new ThetaModelKind(), new SeasonalNaiveModelKind() }
            .Single(k => k.Name == chosen);
        var own = kind.Fit(values, new ModelSpec { Kind = chosen }, Frequency.Daily, CancellationToken.None).Forecast(values, 7).Mean;
        var query = new ForecastQuery(new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values }), Frequency.Daily, 7, [80], 100, Method: IntervalMethod.Model);
        var forecast = Assert.Single(trained.Model.Forecast(query));
        for (var k = 0; k < 7; k++) Assert.Equal(own[k], forecast.Mean[k], 9);
    }

    [Fact]
    public void The_stored_model_forecasts_what_the_trained_one_does()
    {
        var values = RandomWalk(120, 9);
        var kind = new AutoModelKind();
        var input = Input(values, new ModelSpec { Kind = "auto" }, 4);
        var trained = kind.Train(input, null, CancellationToken.None);
        var loaded = kind.Load(trained.Model.SaveState(), input.Spec);
        var query = new ForecastQuery(new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values }), Frequency.Daily, 4, [95], 100, Method: IntervalMethod.Model);
        var before = Assert.Single(trained.Model.Forecast(query));
        var after = Assert.Single(loaded.Forecast(query));
        Assert.Equal(before.Mean, after.Mean);
    }

    [Fact]
    public void The_ensemble_is_the_mean_of_its_members()
    {
        var values = WeeklyWithNoise(120, 5);
        var fit = ((IUnivariateKind)new AutoModelKind()).Fit(values, new ModelSpec { Kind = "auto", Mode = AutoMode.Ensemble }, Frequency.Daily, CancellationToken.None);
        var ensemble = Assert.IsType<AutoForecaster>(fit);
        var (mean, variance) = ensemble.Forecast(values, 6);
        var members = ensemble.Members.Select(m => m.Fit.Forecast(values, 6)).ToList();
        Assert.NotEmpty(members);
        for (var k = 0; k < 6; k++)
        {
            Assert.Equal(members.Average(m => m.Mean[k]), mean[k], 9);
            Assert.Equal(members.Average(m => m.Variance[k]), variance[k], 9);
        }
    }

    [Fact]
    public void An_intermittent_series_adds_the_intermittent_methods_to_the_candidates()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 120).Select(_ => random.NextDouble() < 0.3 ? 1 + random.Next(5) : 0.0).ToArray();
        var trained = new AutoModelKind().Train(Input(values, new ModelSpec { Kind = "auto" }, 6), null, CancellationToken.None);
        var scored = FitDetails(trained).GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ToList();
        Assert.Subset(scored.ToHashSet(), new HashSet<string?> { "croston", "tsb", "adida", "imapa", "ets", "theta" });

        var smooth = new AutoModelKind().Train(Input(WeeklyWithNoise(120, 3), new ModelSpec { Kind = "auto" }, 6), null, CancellationToken.None);
        Assert.DoesNotContain(FitDetails(smooth).GetProperty("scores").EnumerateArray(), s => s.GetProperty("kind").GetString() == "croston");
    }

    [Fact]
    public void A_series_too_short_for_the_windows_asked_gets_fewer_and_says_so()
    {
        // 40 observations, horizon 8: five windows would start at 0; three leave 16 before the first (at least 10 and two weekly seasons).
        var input = Input(RandomWalk(40, 1), new ModelSpec { Kind = "auto", Windows = 5 }, 8);
        Assert.Empty(new AutoModelKind().Validate(input.Spec, input.Frame, input.Periods));
        var details = FitDetails(new AutoModelKind().Train(input, null, CancellationToken.None));
        Assert.Contains("over 3 windows of 8 steps", details.GetProperty("why").GetString());
    }

    [Fact]
    public void A_series_too_short_for_one_window_gets_the_ensemble_and_says_why()
    {
        var values = RandomWalk(14, 2);
        var input = Input(values, new ModelSpec { Kind = "auto" }, 10);
        var trained = new AutoModelKind().Train(input, null, CancellationToken.None);
        var details = FitDetails(trained);
        Assert.Contains("too few for one cross-validation window", details.GetProperty("why").GetString());
        var members = details.GetProperty("chosen").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("ets", members);
        Assert.True(members.Count >= 2, $"the ensemble has {members.Count} members");
        var forecast = Assert.Single(trained.Model.Forecast(new ForecastQuery(input.Frame.Series[0], Frequency.Daily, 10, [80], 100, Method: IntervalMethod.Model)));
        Assert.All(forecast.Mean, m => Assert.True(double.IsFinite(m)));
    }

    [Fact]
    public void The_chosen_member_s_variance_is_widened_to_its_cross_validation_errors_never_narrowed()
    {
        var values = RandomWalk(150, 4);
        var kind = new AutoModelKind();
        var fit = Assert.IsType<AutoForecaster>(((IUnivariateKind)kind).Fit(values, new ModelSpec { Kind = "auto" }, Frequency.Daily, CancellationToken.None));
        Assert.True(fit.VarianceScale >= 1);
        var member = Assert.Single(fit.Members);
        var own = member.Fit.Forecast(values, 7).Variance;
        var scaled = fit.Forecast(values, 7).Variance;
        for (var k = 0; k < 7; k++) Assert.Equal(fit.VarianceScale * own[k], scaled[k], 9);
    }
}
