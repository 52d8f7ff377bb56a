using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>
/// A dataset column's declared <c>bounds</c> (issue 20): its observations keep to them at upload and at each append, and a
/// run on it as the target serves forecasts clipped to them without the request saying so; the run's own bounds win.
/// </summary>
public sealed class ColumnBoundsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static string SalesCsv(int days, double first = 0)
    {
        var random = new Random(5);
        var csv = new StringBuilder("date,sales,price\n");
        for (var t = 0; t < days; t++)
            csv.Append($"{new DateTime(2021, 1, 1).AddDays(t):yyyy-MM-dd},{(t == 0 ? first : random.NextDouble() < 0.5 ? 0 : random.Next(1, 6))},{-1 - t % 3}\n");
        return csv.ToString();
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, string? bounds)
    {
        using var form = new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "sales.csv" } };
        if (bounds is not null) form.Add(new StringContent(bounds), "bounds");
        return await client.PostAsync("/api/datasets", form);
    }

    [Fact]
    public async Task A_lower_bound_on_the_column_holds_for_appends_and_clips_the_forecasts_of_runs_on_it()
    {
        var client = factory.CreateClient();
        var created = await UploadAsync(client, SalesCsv(120), """{ "sales": { "lower": 0 } }""");
        var dataset = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, dataset.ToString());
        var sales = dataset.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "sales");
        Assert.Equal(0, sales.GetProperty("bounds").GetProperty("lower").GetDouble());

        // An appended negative count is refused, naming the series, timestamp and column; nothing is written.
        var append = await client.PostAsJsonAsync($"/api/datasets/{dataset.Id()}/observations", new
        {
            series = new[] { new { start = "2021-05-01", columns = new Dictionary<string, double[]> { ["sales"] = [2, -1], ["price"] = [-1, -2] } } },
        });
        var appendText = await append.Content.ReadAsStringAsync();
        Assert.True(append.StatusCode == HttpStatusCode.BadRequest, appendText);
        Assert.Contains("2021-05-02, column sales", appendText);
        Assert.Contains("-1 is below its lower bound 0", appendText);

        // A run without bounds of its own: the model records the column's, and its 95% band stops at zero.
        var model = await client.TrainAsync(new
        {
            datasetId = dataset.Id(), targets = new[] { "sales" }, horizon = 7, model = new { kind = "seasonal_naive" },
            split = new { trainTo = "2021-03-31", validFrom = "2021-04-01", validTo = "2021-04-30" },
        });
        Assert.Equal(0, model.GetProperty("request").GetProperty("bounds").GetProperty("lower").GetDouble());
        var forecast = await (await client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { horizon = 7, levels = new[] { 95 }, method = "model" })).ReadJsonAsync();
        var lowers = forecast.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("sales").GetProperty("lower").GetProperty("95").GetDouble()).ToList();
        Assert.All(lowers, l => Assert.True(l >= 0, $"95% lower bound {l}"));
        Assert.Contains(lowers, l => l == 0);

        // A run's own bounds win over the column's.
        var own = await client.TrainAsync(new
        {
            datasetId = dataset.Id(), targets = new[] { "sales" }, horizon = 7, model = new { kind = "seasonal_naive" }, bounds = new { upper = 100 },
            split = new { trainTo = "2021-03-31", validFrom = "2021-04-01", validTo = "2021-04-30" },
        });
        var ownBounds = own.GetProperty("request").GetProperty("bounds");
        Assert.False(ownBounds.TryGetProperty("lower", out _));
        Assert.Equal(100, ownBounds.GetProperty("upper").GetDouble());
    }

    [Theory]
    [InlineData("""{ "sales": { "lower": 0 } }""", -3, "series 0, 2021-01-01, column sales", "-3 is below its lower bound 0")]
    [InlineData("""{ "volume": { "lower": 0 } }""", 0, "bounds.volume", "There is no column 'volume'")]
    [InlineData("""{ "sales": { "lower": 5, "upper": 1 } }""", 0, "bounds.sales", "lower (5) must be less than upper (1)")]
    [InlineData("""{ "sales": { } }""", 0, "bounds.sales", "Give lower, upper or both")]
    [InlineData("""{ "sales": { "lower": 0, "floor": 0 } }""", 0, "bounds", "floor")]
    [InlineData("""[0]""", 0, "bounds", "bounds is a JSON object of columns")]
    public async Task Bad_column_bounds_are_refused_and_nothing_is_stored(string bounds, double first, string field, string message)
    {
        var client = factory.CreateClient();
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/datasets?take=200")).GetArrayLength();
        var response = await UploadAsync(client, SalesCsv(30, first), bounds);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body.ToString());
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), body.ToString());
        Assert.Contains(message, messages.ToString());
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/datasets?take=200")).GetArrayLength());
    }

    [Fact]
    public async Task Targets_whose_columns_declare_different_bounds_need_the_runs_own()
    {
        var client = factory.CreateClient();
        var created = await UploadAsync(client, SalesCsv(60), """{ "sales": { "lower": 0 }, "price": { "upper": 0 } }""");
        var dataset = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, dataset.ToString());
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = dataset.Id(), targets = new[] { "sales", "price" }, horizon = 7, model = new { kind = "seasonal_naive" },
            split = new { trainTo = "2021-02-15" },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("declare different bounds (sales: lower 0; price: upper 0)", text);
    }
}
