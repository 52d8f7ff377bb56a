using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// What regressors are worth to SARIMA(1,0,0)(0,1,1,7) on CTA rail, on the chapter's split (train 2016..2018, validation
/// 2019-01..05, test 2019-06..12, horizon 1; docs/chapter-table.md): without, with the dataset's <c>day_type</c>, and with
/// day_type and US holidays. The figures are printed (docs/benchmarks.md).
/// </summary>
public sealed class CtaSarimaxTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    [CtaFact]
    public async Task Day_type_and_us_holidays_as_sarima_regressors_on_cta_rail()
    {
        var client = factory.CreateClient();
        var dataset = (await TestDatasets.UploadCtaAsync(client)).Id();
        async Task<(double Validation, double Test)> TrainAsync(string name, string[]? knownFuture, object? holidays)
        {
            var model = await client.TrainAsync(new Dictionary<string, object?>
            {
                ["datasetId"] = dataset, ["targets"] = new[] { "rail" }, ["knownFuture"] = knownFuture, ["holidays"] = holidays,
                ["split"] = new { trainFrom = "2016-01-01", trainTo = "2018-12-31", validFrom = "2019-01-01", validTo = "2019-05-31", testFrom = "2019-06-01", testTo = "2019-12-31" },
                ["model"] = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
            }, TimeSpan.FromMinutes(5));
            var metrics = model.GetProperty("metrics");
            double Mae(string set) => metrics.GetProperty(set).GetProperty("mae").GetDouble();
            var coefficients = model.GetProperty("details").TryGetProperty("regression", out var regression)
                ? string.Join(", ", regression.GetProperty("fits")[0].GetProperty("coefficients").EnumerateArray()
                    .Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("value").GetDouble():N0} ± {(c.GetProperty("standardError").ValueKind == JsonValueKind.Number ? c.GetProperty("standardError").GetDouble() : double.NaN):N0}"))
                : "";
            output.WriteLine($"{name}: validation MAE {Mae("validation"):N1}, test MAE {Mae("test"):N1}{(coefficients.Length > 0 ? $"; {coefficients}" : "")}");
            Assert.Equal(214, metrics.GetProperty("test").GetProperty("count").GetInt32());
            return (Mae("validation"), Mae("test"));
        }

        var plain = await TrainAsync("SARIMA(1,0,0)(0,1,1,7)", null, null);
        var dayType = await TrainAsync("SARIMAX, knownFuture [day_type]", ["day_type"], null);
        var holidays = await TrainAsync("SARIMAX, knownFuture [day_type], holidays US", ["day_type"], new { country = "US" });
        Assert.Equal(37_828.7, plain.Test, 1.0); // docs/chapter-table.md
        // day_type marks the weekday holidays (U on a weekday), which the weekly differencing cannot foresee.
        Assert.True(dayType.Test < plain.Test, $"day_type: test {dayType.Test:N1}, plain {plain.Test:N1}");
        Assert.True(holidays.Test < plain.Test, $"day_type and holidays: test {holidays.Test:N1}, plain {plain.Test:N1}");
    }
}
