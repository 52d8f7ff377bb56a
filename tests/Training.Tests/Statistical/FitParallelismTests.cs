using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>A run's fits proceed in parallel across series, each serial inside, and give what each series fitted alone gives.</summary>
public sealed class FitParallelismTests
{
    private static Series Weekly(string id, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 120).Select(t => 50 + seed + 10 * Math.Sin(2 * Math.PI * t / 7) + 3 * random.NextDouble()).ToArray();
        return new Series(id, 0, values.Length, new Dictionary<string, double[]> { ["y"] = values });
    }

    private static TrainedModel Train(IReadOnlyList<Series> series) =>
        new AutoSarimaModelKind().Train(new TrainingInput(new DatasetFrame(Frequency.Daily, [ColumnInfo.Numeric("y")], series),
            new TrainingRunSpec { Targets = ["y"], Horizon = 7, Model = new ModelSpec { Kind = "auto_sarima" } },
            series.ToDictionary(s => s.Id, s => new SeriesPeriods(new IndexRange(0, s.Length), null, null))), null, CancellationToken.None);

    [Fact]
    public void A_panel_fitted_in_parallel_forecasts_as_each_series_fitted_alone()
    {
        var panel = Enumerable.Range(0, 6).Select(i => Weekly($"s{i}", i)).ToList();
        var together = Train(panel).Model;
        foreach (var series in panel)
        {
            var alone = Train([series]).Model;
            var query = new ForecastQuery(series, Frequency.Daily, 7, [80], 1, Method: IntervalMethod.Model);
            var expected = Assert.Single(alone.Forecast(query));
            var actual = Assert.Single(together.Forecast(query));
            Assert.Equal(expected.Mean, actual.Mean);
            Assert.Equal(expected.Upper[80], actual.Upper[80]);
        }
    }

    [Fact]
    public void A_fit_at_the_series_level_runs_serially_inside()
    {
        Assert.Equal(Environment.ProcessorCount, FitParallelism.WithinFit);
        Assert.Equal(1, FitParallelism.AtSeriesLevel(() => FitParallelism.WithinFit));
        Assert.Equal(Environment.ProcessorCount, FitParallelism.WithinFit);
    }
}
