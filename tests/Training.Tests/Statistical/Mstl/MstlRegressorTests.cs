using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;
using Forecasting.Training.Statistical.Mstl;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical.Mstl;

/// <summary>mstl with known-future regressors: the seasonally adjusted series regressed on them with ARIMA errors, as R's stlf(method = "arima", xreg = X).</summary>
public sealed class MstlRegressorTests(ITestOutputHelper output)
{
    private const int Length = 220, Horizon = 7;

    /// <summary>A weekly and a four-weekly cycle, a promo adding 20, AR(1) noise; the last <see cref="Horizon"/> rows are the future.</summary>
    private static (DatasetFrame Frame, TrainingRunSpec Spec, Dictionary<string, SeriesPeriods> Periods) Request(string method)
    {
        var random = new Random(5);
        var promo = Enumerable.Range(0, Length + Horizon).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0).ToArray();
        var noise = 0.0;
        var y = new double[Length];
        for (var t = 0; t < Length; t++)
        {
            noise = 0.5 * noise + random.NextDouble() - 0.5;
            y[t] = 50 + 10 * Math.Sin(2 * Math.PI * t / 7) + 5 * Math.Cos(2 * Math.PI * t / 28) + 20 * promo[t] + noise;
        }
        var frame = new DatasetFrame(Frequency.Daily, [ColumnInfo.Numeric("y"), ColumnInfo.Numeric("promo")],
            [new Series("s", 0, Length, new Dictionary<string, double[]> { ["y"] = y, ["promo"] = promo[..Length] })])
        {
            Future = new Dictionary<string, Series> { ["s"] = new("s", Length, Horizon, new Dictionary<string, double[]> { ["promo"] = promo[Length..] }) },
        };
        var spec = new TrainingRunSpec { Targets = ["y"], Horizon = Horizon, KnownFuture = ["promo"], Model = new ModelSpec { Kind = "mstl", Seasons = [7, 28], Method = Enum.Parse<MstlMethod>(method, true) } };
        return (frame, spec, new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, 190), new IndexRange(190, Length), null) });
    }

    [Fact]
    public void The_adjusted_series_is_regressed_on_the_promo_and_forecasts_move_by_its_coefficient()
    {
        var kind = new MstlModelKind();
        var (frame, spec, periods) = Request("arima");
        Assert.Empty(kind.Validate(spec, frame, periods));
        var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);
        var plain = kind.Train(new TrainingInput(frame, spec with { KnownFuture = null }, periods), null, CancellationToken.None);
        // STL sees the promo days too (part of their effect lands in the seasonal components), so the regression explains most, not all, of it.
        Assert.True(trained.Validation!.Mae < 0.6 * plain.Validation!.Mae, $"validation MAE {trained.Validation.Mae:F2} with the promo, {plain.Validation.Mae:F2} without");
        var model = kind.Load(trained.Model.SaveState(), spec);

        var series = frame.Series[0];
        var future = frame.FutureOf("s")!;
        TargetForecast Forecast(double[] promo) => model.Forecast(new ForecastQuery(series, Frequency.Daily, Horizon, [80], 1,
            new Series("s", Length, Horizon, new Dictionary<string, double[]> { ["promo"] = promo }), Explain: true)).Single();
        var stored = Forecast(future["promo"]);
        var flipped = future["promo"].ToArray();
        flipped[3] = 1 - flipped[3];
        var moved = Forecast(flipped);
        var coefficient = stored.Contributions!["promo"].Zip(future["promo"]).First(p => p.Second == 1).First;
        output.WriteLine($"validation MAE {trained.Validation.Mae:F2} with the promo, {plain.Validation.Mae:F2} without; promo coefficient {coefficient:F2} (truth 20)");
        Assert.InRange(coefficient, 10, 25);
        for (var k = 0; k < Horizon; k++)
            Assert.Equal(k == 3 ? (flipped[3] - future["promo"][3]) * coefficient : 0, moved.Mean[k] - stored.Mean[k], 1e-8);
    }

    [Fact]
    public void Method_ets_refuses_known_future_columns()
    {
        var (frame, spec, periods) = Request("ets");
        var error = Assert.Single(new MstlModelKind().Validate(spec, frame, periods));
        Assert.Equal("knownFuture", error.Field);
        Assert.Contains("method arima", error.Message);
    }
}
