using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// The chapter's rail series: trained 2016–2018, calibrated on 2019-01..05, tested on 2019-06-01..2019-12-31.
/// Conformal 80% and 95% intervals must cover the test period within 5 points of nominal for four kinds.
/// </summary>
public sealed class CtaCoverageTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    public static TheoryData<string, string> Models => new()
    {
        { "seasonal naive", """{ "model": { "kind": "seasonal_naive", "season": 7 } }""" },
        { "SARIMA(1,0,0)(0,1,1,7)", """{ "model": { "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] } }""" },
        { "SARIMA(1,0,0)(0,1,1,7), backtest calibration (365 windows)", """{ "model": { "kind": "sarima", "order": [1, 0, 0], "seasonalOrder": [0, 1, 1, 7] }, "intervals": { "calibration": "backtest", "windows": 365 } }""" },
        { "seasonal naive, backtest calibration (365 windows)", """{ "model": { "kind": "seasonal_naive", "season": 7 }, "intervals": { "calibration": "backtest", "windows": 365 } }""" },
        { "SimpleRNN(32)", """{ "windowLength": 56, "scaling": { "kind": "divide", "by": 1e6 }, "model": { "kind": "simple_rnn", "units": [32] }, "training": { "loss": "huber", "optimizer": "sgd", "learningRate": 0.05, "momentum": 0.9, "epochs": 20, "seed": 42 } }""" },
        { "LSTM(32), recurrent dropout 0.2", """{ "windowLength": 56, "scaling": { "kind": "divide", "by": 1e6 }, "model": { "kind": "lstm", "units": [32], "recurrentDropout": 0.2 }, "training": { "loss": "huber", "optimizer": "adam", "learningRate": 0.01, "epochs": 20, "seed": 42 } }""" },
    };

    [CtaTheory]
    [MemberData(nameof(Models))]
    public async Task Test_period_coverage_is_within_five_points_of_nominal(string name, string modelJson)
    {
        var client = factory.CreateClient();
        var dataset = (await TestDatasets.UploadCtaAsync(client)).Id();
        var request = JsonSerializer.Deserialize<Dictionary<string, object>>(modelJson)!;
        request["datasetId"] = dataset;
        request["targets"] = new[] { "rail" };
        request["split"] = new { trainFrom = "2016-01-01", trainTo = "2018-12-31", validFrom = "2019-01-01", validTo = "2019-05-31", testFrom = "2019-06-01", testTo = "2019-12-31" };
        var model = await client.TrainAsync(request, TimeSpan.FromMinutes(5));
        var metrics = model.GetProperty("metrics");
        var test = metrics.GetProperty("test");
        double Figure(JsonElement set, string what, string level) => set.GetProperty(what).GetProperty(level).GetDouble();
        output.WriteLine($"{name}: validation MAE {metrics.GetProperty("validation").GetProperty("mae").GetDouble():0.0}, test MAE {test.GetProperty("mae").GetDouble():0.0}, " +
            $"test coverage 80 {Figure(test, "coverage", "80"):0.000}, 95 {Figure(test, "coverage", "95"):0.000}, interval score 80 {Figure(test, "intervalScore", "80"):0.0}, 95 {Figure(test, "intervalScore", "95"):0.0}, " +
            $"validation coverage 80 {Figure(metrics.GetProperty("validation"), "coverage", "80"):0.000}, 95 {Figure(metrics.GetProperty("validation"), "coverage", "95"):0.000}");
        Assert.Equal(214, test.GetProperty("count").GetInt32()); // every test day, each kind (214 days × 1 step)
        Assert.InRange(Figure(test, "coverage", "80"), 0.75, 0.85);
        Assert.InRange(Figure(test, "coverage", "95"), 0.90, 1.0);
        Assert.Equal(Figure(test, "coverage", "80"), Figure(test.GetProperty("byTarget").GetProperty("rail"), "coverage", "80"));
    }
}
