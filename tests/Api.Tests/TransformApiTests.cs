using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// A request <c>transform</c> over HTTP: sarima fitted on Box-Cox values with Guerrero's λ, forecasts on the data's
/// scale; a series with a zero falls back in a panel and is a 400 alone; the request's mistakes are 400s naming the field.
/// </summary>
public sealed class TransformApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>Monthly, growing, with a season whose swing grows with the level (what a Box-Cox transform evens out).</summary>
    private static readonly double[] Growing = [.. Enumerable.Range(0, 96).Select(t => 100 * Math.Exp(0.015 * t) * (1 + 0.25 * Math.Sin(2 * Math.PI * t / 12)) + 2 * Math.Cos(1.7 * t))];

    private async Task<string> UploadAsync(HttpClient client)
    {
        double[] withZero = [.. Growing];
        withZero[40] = 0;
        var response = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "growing", frequency = "MS",
            series = new object[]
            {
                new { id = "a", start = "2010-01-01", columns = new Dictionary<string, double[]> { ["y"] = Growing } },
                new { id = "b", start = "2010-01-01", columns = new Dictionary<string, double[]> { ["y"] = withZero } },
            },
        });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload failed: {body}");
        return body.Id();
    }

    private static Dictionary<string, object?> Request(string dataset, object? transform, string[]? series = null) => new()
    {
        ["datasetId"] = dataset, ["targets"] = new[] { "y" }, ["horizon"] = 12, ["series"] = series,
        ["split"] = new { train = 0.75, valid = 0.125 },
        ["model"] = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 12 } },
        ["transform"] = transform,
    };

    [Fact]
    public async Task Trains_on_the_transformed_scale_and_forecasts_on_the_data_scale()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);
        var model = await client.TrainAsync(Request(dataset, new { kind = "boxcox", lambda = "auto" }));

        var transforms = model.GetProperty("details").GetProperty("transforms");
        var a = Assert.Single(transforms.EnumerateArray().ToList());
        Assert.Equal("a", a.GetProperty("series").GetString());
        Assert.Equal("boxcox", a.GetProperty("kind").GetString());
        var lambda = a.GetProperty("lambda").GetDouble();
        Assert.InRange(lambda, -1, 1); // a swing growing with the level: Guerrero's λ is below 1
        var notFitted = Assert.Single(model.GetProperty("series").GetProperty("notFitted").EnumerateArray().ToList());
        Assert.Equal("b", notFitted.GetProperty("series").GetString());
        Assert.Equal("transform boxcox with lambda auto needs positive values, and the value at 2013-05-01 is 0", notFitted.GetProperty("reason").GetString());

        var response = await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast", new { series = "a", horizon = 12, levels = new[] { 80 }, method = "model" });
        var forecast = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"forecast: {forecast}");
        var points = forecast.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("y")).ToList();
        Assert.Equal(12, points.Count);
        foreach (var p in points)
        {
            var (mean, lower, upper) = (p.GetProperty("mean").GetDouble(), p.GetProperty("lower").GetProperty("80").GetDouble(), p.GetProperty("upper").GetProperty("80").GetDouble());
            Assert.InRange(mean, 0.5 * Growing[^12..].Min(), 2 * Growing[^12..].Max()); // data units, not Box-Cox units
            Assert.True(lower < mean && mean < upper, $"{lower} {mean} {upper}");
            Assert.True(upper - mean > mean - lower, $"bounds symmetric on the transformed scale are skewed upwards on the data's: {lower} {mean} {upper}");
        }
    }

    [Fact]
    public async Task Transform_mistakes_are_400s_naming_the_field()
    {
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client);

        await AssertRefused(client, Request(dataset, new { kind = "boxcox" }), "transform.lambda", "boxcox needs a lambda");
        await AssertRefused(client, Request(dataset, new { kind = "log1p", lambda = 0.5 }), "transform.lambda", "log1p has no lambda");
        await AssertRefused(client, Request(dataset, new { kind = "boxcox", lambda = "auto" }, ["b"]), "transform",
            "Series 'b': transform boxcox with lambda auto needs positive values, and the value at 2013-05-01 is 0.");
        var neural = Request(dataset, new { kind = "log1p" });
        neural["model"] = new { kind = "simple_rnn" };
        neural["windowLength"] = 12;
        await AssertRefused(client, neural, "transform", "transform applies to the statistical kinds");

        foreach (var transform in new object[] { new { kind = "boxcox", lambda = "sometimes" }, new { kind = "sqrt" }, new { kind = "boxcox", lambda = 0.5, shift = 1 } })
        {
            var response = await client.PostAsJsonAsync("/api/training-runs", Request(dataset, transform));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(transform)}: {response.StatusCode}");
        }
    }

    private static async Task AssertRefused(HttpClient client, object request, string field, string message)
    {
        var response = await client.PostAsJsonAsync("/api/training-runs", request);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected a 400 on {field}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var errors), $"expected an error on '{field}': {body}");
        Assert.Contains(message, errors.ToString());
    }
}
