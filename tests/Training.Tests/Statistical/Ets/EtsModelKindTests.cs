using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical.Ets;

namespace Forecasting.Training.Tests.Statistical.Ets;

/// <summary>The kind end to end: train on AirPassengers, describe the choice, store and reload the model.</summary>
public sealed class EtsModelKindTests
{
    [Fact]
    public void Trains_describes_the_chosen_model_and_reloads()
    {
        var reference = ReferenceFixture.Load("ets.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "AirPassengers");
        double[] values = [.. reference.GetProperty("train").EnumerateArray().Select(v => v.GetDouble()), .. reference.GetProperty("test").EnumerateArray().Select(v => v.GetDouble())];
        var spec = new TrainingRunSpec { Targets = ["y"], Horizon = 24, Model = new ModelSpec { Kind = "ets" } };
        var frame = new DatasetFrame(Frequency.Monthly, [ColumnInfo.Numeric("y")], [new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values })]);
        var periods = new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, 120), null, new IndexRange(120, 144)) };
        var kind = new EtsModelKind();
        Assert.Empty(kind.Validate(spec, frame, periods));

        var trained = kind.Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);

        var fits = JsonSerializer.SerializeToElement(trained.Details!["fits"]);
        var fit = Assert.Single(fits.EnumerateArray().ToList());
        Assert.Equal("ETS(M,Ad,M)", fit.GetProperty("model").GetString());
        Assert.Equal(reference.GetProperty("aicc").GetDouble(), fit.GetProperty("aicc").GetDouble(), 1e-3);
        Assert.Equal(reference.GetProperty("phi").GetDouble(), fit.GetProperty("phi").GetDouble(), 1e-4);
        Assert.Equal(14, fit.GetProperty("initialStates").EnumerateObject().Count()); // l, b, s1 … s12
        Assert.Equal(15, fit.GetProperty("candidates").GetArrayLength());
        Assert.Equal("MAdM", fit.GetProperty("candidates")[0].GetProperty("model").GetString());
        Assert.NotNull(trained.Test);

        var reloaded = kind.Load(trained.Model.SaveState(), spec);
        var history = new Series("s", 0, 120, new Dictionary<string, double[]> { ["y"] = values[..120] });
        var forecast = Assert.Single(reloaded.Forecast(new ForecastQuery(history, Frequency.Monthly, 24, [80, 95], 0, Method: IntervalMethod.Model)));
        double[] Numbers(string name) => [.. reference.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];
        var (rMean, rLower95, rUpper95) = (Numbers("mean"), Numbers("lower95"), Numbers("upper95"));
        for (var k = 0; k < 24; k++)
        {
            Assert.Equal(rMean[k], forecast.Mean[k], 0.01 * rMean[k]);
            Assert.Equal(rLower95[k], forecast.Lower[95][k], 0.01 * rLower95[k]);
            Assert.Equal(rUpper95[k], forecast.Upper[95][k], 0.01 * rUpper95[k]);
        }
    }
}
