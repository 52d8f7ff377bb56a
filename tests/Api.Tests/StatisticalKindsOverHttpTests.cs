using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Training.Models;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// Every registered statistical kind, with its defaults, over HTTP as a user runs it: trains on a daily series with
/// a validation period, forecasts two weeks with 80% and 95% intervals, and backtests a month. A kind added to the
/// catalogue is covered here without a line of its own.
/// </summary>
public sealed class StatisticalKindsOverHttpTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// The fields a kind requires (it has no default for them), or whose default does not fit 200 days of data (mstl's
    /// daily default is a week and a year); every other kind is sent as <c>{ kind }</c>.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, object>> Given = new()
    {
        ["sarima"] = new() { ["order"] = new[] { 1, 0, 0 }, ["seasonalOrder"] = new[] { 0, 1, 1, 7 } },
        ["mstl"] = new() { ["seasons"] = new[] { 7, 28 } },
    };

    [Fact]
    public async Task Every_statistical_kind_trains_forecasts_and_backtests_with_its_defaults()
    {
        var client = factory.CreateClient();
        var dataset = (await TestDatasets.UploadDailyAsync(client, days: 200, name: "every-statistical-kind")).Id();
        var kinds = factory.Services.GetRequiredService<ModelKindRegistry>().All
            .Where(k => k.Traits.Family == ModelFamily.Statistical).Select(k => k.Name).Order().ToList();
        Assert.Contains("seasonal_naive", kinds);
        Assert.Empty(Given.Keys.Except(kinds));

        var failures = new List<string>();
        foreach (var kind in kinds)
        {
            try
            {
                await TrainForecastAndBacktestAsync(client, dataset, kind);
            }
            catch (Exception e)
            {
                failures.Add($"{kind}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task TrainForecastAndBacktestAsync(HttpClient client, string dataset, string kind)
    {
        var model = new Dictionary<string, object>(Given.GetValueOrDefault(kind) ?? []) { ["kind"] = kind };
        var trained = await client.TrainAsync(new
        {
            datasetId = dataset, targets = new[] { "value" }, horizon = 14,
            split = new { trainFrom = "2020-01-01", trainTo = "2020-05-31", validFrom = "2020-06-01", validTo = "2020-07-18" },
            model,
        });
        var validMae = trained.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();
        Assert.True(double.IsFinite(validMae) && validMae > 0, $"validation MAE {validMae}");

        var response = await client.PostAsJsonAsync($"/api/models/{trained.GetProperty("id").GetString()}/forecast", new { horizon = 14, levels = new[] { 80, 95 } });
        var forecast = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"forecast: {forecast}");
        var points = forecast.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(14, points.Count);
        Assert.Equal("2020-07-19", points[0].GetProperty("timestamp").GetString());
        foreach (var point in points)
        {
            var value = point.GetProperty("values").GetProperty("value");
            double Bound(string side, string level) => value.GetProperty(side).GetProperty(level).GetDouble();
            var mean = value.GetProperty("mean").GetDouble();
            Assert.True(double.IsFinite(mean), $"mean {mean}");
            Assert.True(Bound("lower", "95") <= Bound("lower", "80") && Bound("lower", "80") <= mean
                && mean <= Bound("upper", "80") && Bound("upper", "80") <= Bound("upper", "95"), $"intervals out of order: {value}");
        }

        var backtest = await client.BacktestAsync(new
        {
            datasetId = dataset, targets = new[] { "value" }, model,
            trainFrom = "2020-01-01", from = "2020-06-01", to = "2020-06-30", horizon = 7, refitEvery = 7,
        });
        var backtestMae = backtest.GetProperty("metrics").GetProperty("mae").GetDouble();
        Assert.True(double.IsFinite(backtestMae) && backtestMae > 0, $"backtest MAE {backtestMae}");
        output.WriteLine($"{kind}: validation MAE {validMae:F2}, backtest MAE {backtestMae:F2}");
    }
}
