using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// What calendar and holiday features are worth on CTA rail: the chapter's SimpleRNN(32) (56-day window, SGD lr 0.05,
/// momentum 0.9, Huber, patience 50, seed 42) without covariates, with <c>calendar: [dayOfWeek]</c>, with
/// <c>holidays: {country: US}</c>, and with both; validation on the chapter's 2019-02-26..05-31, test 2019-06..12 (docs/benchmarks.md).
/// </summary>
public sealed class CtaHolidayFeatureTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    [CtaFact]
    public async Task Day_of_week_and_us_holidays_lower_the_simple_rnns_rail_errors()
    {
        var client = factory.CreateClient();
        var dataset = (await TestDatasets.UploadCtaAsync(client)).Id();
        async Task<(double Validation, double Test)> TrainAsync(string name, string[]? calendar, object? holidays, string[]? knownFuture = null)
        {
            var model = await client.TrainAsync(new Dictionary<string, object?>
            {
                ["datasetId"] = dataset, ["targets"] = new[] { "rail" }, ["windowLength"] = 56, ["horizon"] = 1,
                ["calendar"] = calendar, ["holidays"] = holidays, ["knownFuture"] = knownFuture,
                ["split"] = new { trainFrom = "2016-01-01", trainTo = "2018-12-31", validFrom = "2019-02-26", validTo = "2019-05-31", testFrom = "2019-06-01", testTo = "2019-12-31" },
                ["scaling"] = new { kind = "divide", by = 1e6 },
                ["model"] = new { kind = "simple_rnn", units = new[] { 32 } },
                ["training"] = new { loss = "huber", optimizer = "sgd", learningRate = 0.05, momentum = 0.9, epochs = 500, batchSize = 32, patience = 50, seed = 42 },
            }, TimeSpan.FromMinutes(5));
            var metrics = model.GetProperty("metrics");
            double Mae(string set) => metrics.GetProperty(set).GetProperty("mae").GetDouble();
            output.WriteLine($"{name}: validation MAE {Mae("validation"):N1}, test MAE {Mae("test"):N1}");
            return (Mae("validation"), Mae("test"));
        }

        var plain = await TrainAsync("SimpleRNN(32)", null, null);
        await TrainAsync("SimpleRNN(32), calendar [dayOfWeek]", ["dayOfWeek"], null);
        var holidays = await TrainAsync("SimpleRNN(32), holidays US", null, new { country = "US" });
        var both = await TrainAsync("SimpleRNN(32), calendar [dayOfWeek], holidays US", ["dayOfWeek"], new { country = "US" });
        // For comparison, the dataset's own day type (weekday, Saturday, Sunday or holiday) as a known-future column.
        await TrainAsync("SimpleRNN(32), knownFuture [day_type]", null, null, ["day_type"]);
        // The 56-day window already shows the week, so dayOfWeek alone adds little; the holidays are what it cannot see
        // coming. The validation period holds one holiday (Memorial Day), the test period seven: test MAE is the measure.
        Assert.True(holidays.Test < plain.Test, $"holidays: test {holidays.Test:N1}, plain {plain.Test:N1}");
        Assert.True(both.Test < plain.Test, $"calendar and holidays: test {both.Test:N1}, plain {plain.Test:N1}");
    }
}
