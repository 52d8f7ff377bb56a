using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>The training request's intervals field: conformal calibration on the validation period (default) or on a backtest.</summary>
public sealed class BacktestCalibrationApiTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// A random walk, calm (unit steps) in training, stormy (steps ×5) in a short validation period, calm again in the test
    /// period: calibrated on validation alone the intervals are storm-wide; a backtest over the last 200 steps is mostly calm.
    /// </summary>
    private static async Task<string> UploadStormAsync(HttpClient client)
    {
        var random = new Random(21);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var values = new double[430];
        for (var t = 1; t < values.Length; t++) values[t] = values[t - 1] + (t is >= 300 and < 330 ? 5 : 1) * Gaussian();
        var created = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "storm", frequency = "steps",
            series = new[] { new { id = "s", start = 0, columns = new Dictionary<string, double[]> { ["y"] = values } } },
        })).ReadJsonAsync();
        return created.Id();
    }

    private static object Request(string datasetId, object? intervals, string kind = "naive") => new
    {
        datasetId, targets = new[] { "y" }, horizon = 1,
        split = new { trainFrom = "0", trainTo = "299", validFrom = "300", validTo = "329", testFrom = "330" },
        model = new { kind }, intervals,
    };

    private static async Task<double> Width80Async(HttpClient client, JsonElement model)
    {
        var forecast = await (await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { horizon = 1, levels = new[] { 80 } })).ReadJsonAsync();
        var y = forecast.GetProperty("points")[0].GetProperty("values").GetProperty("y");
        return y.GetProperty("upper").GetProperty("80").GetDouble() - y.GetProperty("lower").GetProperty("80").GetDouble();
    }

    [Fact]
    public async Task Backtest_calibration_is_used_and_reported_and_narrows_storm_wide_validation_intervals()
    {
        var client = factory.CreateClient();
        var id = await UploadStormAsync(client);
        var byValidation = await client.TrainAsync(Request(id, null));
        var byBacktest = await client.TrainAsync(Request(id, new { calibration = "backtest", windows = 200 }));

        var reported = byBacktest.GetProperty("metrics").GetProperty("calibration");
        Assert.Equal("backtest", reported.GetProperty("source").GetString());
        Assert.Equal(200, reported.GetProperty("windows").GetInt32());
        Assert.Equal(1, reported.GetProperty("windowSteps").GetInt32());
        Assert.Equal(200, reported.GetProperty("errors").GetInt32());
        var validation = byValidation.GetProperty("metrics").GetProperty("calibration");
        Assert.Equal("validation", validation.GetProperty("source").GetString());
        Assert.Equal(30, validation.GetProperty("errors").GetInt32()); // a plain step series has no training tail

        // The backtest's 200 errors are 170 calm and 30 stormy: its 80% interval is far narrower, and on the calm test
        // period it covers closer to 80% than the storm-calibrated one (which covers nearly everything).
        var (backtestWidth, validationWidth) = (await Width80Async(client, byBacktest), await Width80Async(client, byValidation));
        double Coverage80(JsonElement model) => model.GetProperty("metrics").GetProperty("test").GetProperty("coverage").GetProperty("80").GetDouble();
        output.WriteLine($"80% width: validation {validationWidth:0.00}, backtest {backtestWidth:0.00}; test coverage 80%: validation {Coverage80(byValidation):0.000}, backtest {Coverage80(byBacktest):0.000}");
        Assert.True(backtestWidth < 0.6 * validationWidth);
        Assert.True(Coverage80(byValidation) > 0.95, $"validation-calibrated test coverage {Coverage80(byValidation)}");
        Assert.InRange(Coverage80(byBacktest), 0.7, 0.95);
        Assert.Equal("backtest", byBacktest.GetProperty("request").GetProperty("intervals").GetProperty("calibration").GetString());
    }

    [Theory]
    [InlineData("""{ "calibration": "cv" }""", "intervals.calibration", "'backtest'")]
    [InlineData("""{ "calibration": "backtest", "windows": 1 }""", "intervals.windows", "between 2 and 1000")]
    [InlineData("""{ "windows": 10 }""", "intervals.windows", "calibration \"backtest\" only")]
    [InlineData("""{ "calibration": "backtest", "n_windows": 10 }""", "intervals.n_windows", "Unknown field")]
    [InlineData("""{ "calibration": "backtest", "windows": 400 }""", "intervals.windows", "before the training period starts")]
    public async Task Bad_intervals_are_refused_naming_the_field(string intervals, string field, string message)
    {
        var client = factory.CreateClient();
        var id = await UploadStormAsync(client);
        var body = $$"""
            { "datasetId": "{{id}}", "targets": ["y"], "model": { "kind": "naive" },
              "split": { "trainTo": "299", "validFrom": "300", "validTo": "329" }, "intervals": {{intervals}} }
            """;
        var response = await client.PostAsync("/api/training-runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), text);
        Assert.Contains(message, string.Join(" ", messages.EnumerateArray().Select(m => m.GetString())));
        ProblemText.AssertPlain(text);
    }

    [Fact]
    public async Task Neural_kinds_refuse_backtest_calibration_saying_why()
    {
        var client = factory.CreateClient();
        var id = await UploadStormAsync(client);
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = id, targets = new[] { "y" }, windowLength = 10, horizon = 1,
            split = new { trainTo = "299", validFrom = "300" }, model = new { kind = "linear" },
            intervals = new { calibration = "backtest" },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a neural refit is a whole training run", JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("intervals.calibration").ToString());
    }

    [Fact]
    public async Task Refits_beyond_the_cap_are_refused_naming_the_key()
    {
        await using var capped = ApiFactory.With(new() { ["Limits:MaxCalibrationRefits"] = "10" });
        var client = capped.CreateClient();
        var id = await UploadStormAsync(client);
        var response = await client.PostAsJsonAsync("/api/training-runs", Request(id, new { calibration = "backtest" }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Limits:MaxCalibrationRefits", text);
    }
}
