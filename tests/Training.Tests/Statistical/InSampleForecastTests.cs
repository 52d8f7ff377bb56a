using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;
using Xunit.Abstractions;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>
/// In-sample one-step forecasts (a stateless forecast's addHistory) of a SARIMA fit against statsmodels' fittedvalues
/// (tests/Reference/insample.py): USAccDeaths with the airline model and a daily series with (1,0,0)(0,1,1)7.
/// </summary>
public sealed class InSampleForecastTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("usaccdeaths")]
    [InlineData("daily")]
    public void Sarima_fitted_values_are_statsmodels_one_step_predictions(string name)
    {
        var fixture = ReferenceFixture.Load("insample.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        double[] Numbers(string property) => fixture.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        int[] Ints(string property) => fixture.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var values = Numbers("values");
        var expected = Numbers("fitted");
        var expectedSe = Numbers("fittedSe");
        var series = new Series("s", 0, values.Length, new Dictionary<string, double[]> { ["y"] = values });
        var frame = new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("y")], [series]);
        var spec = new TrainingRunSpec { Targets = ["y"], Horizon = 1, Model = new ModelSpec { Kind = "sarima", Order = Ints("order"), SeasonalOrder = Ints("seasonalOrder") } };
        var periods = SplitResolver.Resolve(null, frame.Frequency, frame.Series).Periods;
        var trained = new SarimaModelKind().Train(new TrainingInput(frame, spec, periods), null, CancellationToken.None);

        var inSample = Assert.Single(((IInSampleForecasts)trained.Model).InSample(new ForecastQuery(series, Frequency.Steps, 1, [95], 1, Method: IntervalMethod.Model)));
        var mean = inSample.Forecast.Mean;
        Assert.Equal(values.Length - inSample.First, mean.Length);
        var worst = 0.0;
        for (var i = 0; i < mean.Length; i++)
            worst = Math.Max(worst, Math.Abs(mean[i] - expected[inSample.First + i]) / Math.Abs(expected[inSample.First + i]));
        // The interval is the one-step interval at the end of the series, where the filter has settled: statsmodels' last standard error.
        var halfWidth = inSample.Forecast.Upper[95][^1] - mean[^1];
        var se = halfWidth / PredictionIntervals.ZScore(95);
        output.WriteLine($"{name}: first fitted index {inSample.First}; largest relative difference of the fitted values {worst:E2}; one-step SE {se:G6} (statsmodels at the end {expectedSe[^1]:G6}, at the first fitted index {expectedSe[inSample.First]:G6})");
        Assert.True(worst < 1e-4, $"largest relative difference {worst:E2}");
        Assert.Equal(expectedSe[^1], se, expectedSe[^1] * 1e-3); // the estimates differ in the fifth digit (sigma2 of USAccDeaths: 1.1e-4 relative)
    }
}
