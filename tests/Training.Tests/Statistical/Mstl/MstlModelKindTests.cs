using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Mstl;

namespace Forecasting.Training.Tests.Statistical.Mstl;

/// <summary>The mstl kind: its checks, defaults, training and stored state.</summary>
public sealed class MstlModelKindTests
{
    /// <summary>Hourly-like data with a daily (24) and a weekly (168) cycle, a slow trend and noise.</summary>
    private static double[] TwoCycles(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(t =>
            10 + 0.01 * t + 3 * Math.Sin(2 * Math.PI * t / 24) + 2 * Math.Cos(2 * Math.PI * t / 168) + random.NextDouble() - 0.5).ToArray();
    }

    private static (DatasetFrame Frame, TrainingRunSpec Spec, Dictionary<string, SeriesPeriods> Periods) Request(Frequency frequency, double[] values, ModelSpec model, IndexRange train, IndexRange? valid = null) =>
        (new DatasetFrame(frequency, [ColumnInfo.Numeric("y")], [new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values })]),
         new TrainingRunSpec { Targets = ["y"], Horizon = 24, Model = model },
         new Dictionary<string, SeriesPeriods> { ["s"] = new(train, valid, null) });

    private static List<FieldError> Errors(Frequency frequency, int length, ModelSpec model)
    {
        var (frame, spec, periods) = Request(frequency, TwoCycles(length, 1), model, new IndexRange(0, length));
        return new MstlModelKind().Validate(spec, frame, periods).ToList();
    }

    [Theory]
    [InlineData(new[] { 24 }, "two or more seasons")]
    [InlineData(new[] { 168, 24 }, "increasing order")]
    [InlineData(new[] { 24, 24 }, "increasing order")]
    [InlineData(new[] { 1, 24 }, "at least 2")]
    [InlineData(new[] { 24, 500 }, "less than half the training period")]
    public void Bad_seasons_are_refused_naming_model_seasons(int[] seasons, string message)
    {
        var error = Assert.Single(Errors(Frequency.Hourly, 999, new ModelSpec { Kind = "mstl", Seasons = seasons }));
        Assert.Equal("model.seasons", error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void One_season_points_to_the_single_season_kinds()
    {
        var error = Assert.Single(Errors(Frequency.Hourly, 999, new ModelSpec { Kind = "mstl", Seasons = [24] }));
        Assert.Contains("ets", error.Message);
        Assert.Contains("theta", error.Message);
    }

    [Fact]
    public void Hourly_data_default_to_a_day_and_a_week_and_monthly_data_have_no_default()
    {
        Assert.Empty(Errors(Frequency.Hourly, 400, new ModelSpec { Kind = "mstl" }));
        Assert.Contains("less than half", Assert.Single(Errors(Frequency.Hourly, 336, new ModelSpec { Kind = "mstl" })).Message);
        var monthly = Assert.Single(Errors(Frequency.Monthly, 400, new ModelSpec { Kind = "mstl" }));
        Assert.Equal("model.seasons", monthly.Field);
        Assert.Empty(Errors(Frequency.Monthly, 400, new ModelSpec { Kind = "mstl", Seasons = [3, 12] }));
    }

    [Fact]
    public void Method_offers_only_what_is_implemented()
    {
        var method = new MstlModelKind().Traits.Fields.Single(f => f.Name == "method");
        Assert.Equal(["arima", "ets"], method.Choices);
        Assert.Equal(MstlMethod.Ets, JsonSerializer.Deserialize<ModelSpec>("""{"kind":"mstl","method":"ets"}""", new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Method);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ModelSpec>("""{"kind":"mstl","method":"rwdrift"}""", new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Theory]
    [InlineData(MstlMethod.Arima)]
    [InlineData(MstlMethod.Ets)]
    public void Trains_forecasts_both_cycles_and_reloads_the_same_forecasts(MstlMethod method)
    {
        var values = TwoCycles(1200, 2);
        var (frame, spec, periods) = Request(Frequency.Hourly, values, new ModelSpec { Kind = "mstl", Method = method }, new IndexRange(0, 1000), new IndexRange(1000, 1200));
        var kind = new MstlModelKind();
        var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);

        // Noise is uniform on ±0.5 (MAE 0.25 at best); missing either cycle would cost more than 1.
        Assert.True(trained.Validation!.Mae < 0.6, $"validation MAE {trained.Validation.Mae}");
        var details = JsonSerializer.SerializeToElement(trained.Details).GetProperty("fits")[0];
        Assert.Equal("[24,168]", details.GetProperty("seasons").GetRawText());
        Assert.Equal("[11,15]", details.GetProperty("seasonalWindows").GetRawText());
        Assert.Equal(method.ToWire(), details.GetProperty("method").GetString());
        var shares = details.GetProperty("varianceShares");
        Assert.True(shares.GetProperty("seasonal")[0].GetProperty("share").GetDouble() > shares.GetProperty("remainder").GetDouble());
        var history = new Series("s", 0, 1100, new Dictionary<string, double[]> { ["y"] = values[..1100] });
        var query = new ForecastQuery(history, Frequency.Hourly, 24, [80, 95], 0);
        var before = trained.Model.Forecast(query).Single();
        var reloaded = kind.Load(trained.Model.SaveState(), spec).Forecast(query).Single();
        Assert.Equal(before.Mean, reloaded.Mean);
        Assert.True(before.Mean.Select((m, k) => Math.Abs(m - values[1100 + k])).Average() < 0.6);
        Assert.All(before.Mean.Select((m, k) => before.Upper[95][k] - m), w => Assert.InRange(w, 0.5, 3));
    }
}
