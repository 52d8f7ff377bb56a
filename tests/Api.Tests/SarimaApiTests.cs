using System.Net;
using System.Net.Http.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>The chapter's SARIMA through HTTP: fit on 2019-01..2019-05, forecast 2019-06-01.</summary>
public sealed class SarimaApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [CtaFact]
    public async Task Sarima_forecasts_the_chapters_figure_for_June_first()
    {
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadCtaAsync(client);
        var model = await client.TrainAsync(new
        {
            datasetId = dataset.Id(),
            targets = new[] { "rail" },
            split = new { trainFrom = "2019-01-01", trainTo = "2019-05-31" },
            model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
        });
        Assert.Equal(3, model.GetProperty("parameters").GetInt64()); // ar.L1, ma.S.L7 and sigma2, as statsmodels counts
        var fit = model.GetProperty("details").GetProperty("fits")[0].GetProperty("fit");
        Assert.True(fit.GetProperty("converged").GetBoolean());

        var response = await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast",
            new { origin = "2019-05-31", horizon = 3, levels = new[] { 95 } });
        var forecast = await response.ReadJsonAsync();
        var points = forecast.GetProperty("points");
        Assert.Equal("2019-06-01", points[0].GetProperty("timestamp").GetString());
        var june1 = points[0].GetProperty("values").GetProperty("rail");
        Assert.Equal(427_758.6, june1.GetProperty("mean").GetDouble(), 427_758.6 * 0.001);
        double Width(int k) => points[k].GetProperty("values").GetProperty("rail") is var v
            ? v.GetProperty("upper").GetProperty("95").GetDouble() - v.GetProperty("lower").GetProperty("95").GetDouble() : 0;
        Assert.True(Width(0) > 0 && Width(1) >= Width(0) && Width(2) >= Width(1), "intervals widen with the horizon");
    }

    [Fact]
    public async Task Auto_sarima_searches_stepwise_by_default_or_the_whole_grid_on_request()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 120, name: "auto")).Id();
        object Request(object model) => new
        {
            datasetId = id, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-04-29" }, model,
        };

        var refused = await client.PostAsJsonAsync("/api/training-runs", Request(new { kind = "auto_sarima", search = "exhaustive" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("\"model.search\"", refusal);
        Assert.Contains("one of 'stepwise', 'grid'", refusal);

        int Candidates(System.Text.Json.JsonElement model) =>
            model.GetProperty("details").GetProperty("fits")[0].GetProperty("candidates").GetArrayLength();
        var stepwise = await client.TrainAsync(Request(new { kind = "auto_sarima" }));
        var grid = await client.TrainAsync(Request(new { kind = "auto_sarima", search = "grid" }));
        // The grid fits every order within R's limits for the d and D the tests chose; the walk, as R's, at most 94 of them.
        Assert.InRange(Candidates(stepwise), 4, 94);
        Assert.True(Candidates(grid) > Candidates(stepwise), $"grid {Candidates(grid)} candidates, stepwise {Candidates(stepwise)}");
    }

    [Fact]
    public async Task Auto_sarima_approximates_on_request_and_reports_which_scores_are_approximate()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 120, name: "approximation")).Id();
        object Request(object model) => new
        {
            datasetId = id, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-04-29" }, model,
        };

        var refused = await client.PostAsJsonAsync("/api/training-runs", Request(new { kind = "auto_sarima", approximation = "sometimes" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("\"model.approximation\"", refusal);
        Assert.Contains("one of 'auto', 'always', 'never'", refusal);

        System.Text.Json.JsonElement[] Candidates(System.Text.Json.JsonElement model) =>
            [.. model.GetProperty("details").GetProperty("fits")[0].GetProperty("candidates").EnumerateArray()];
        // 120 daily points: R's rule does not approximate; "always" compares by conditional sums of squares, then refits exactly.
        var auto = await client.TrainAsync(Request(new { kind = "auto_sarima" }));
        var always = await client.TrainAsync(Request(new { kind = "auto_sarima", approximation = "always" }));
        Assert.All(Candidates(auto), c => Assert.False(c.GetProperty("approximate").GetBoolean()));
        Assert.Contains(Candidates(always), c => c.GetProperty("approximate").GetBoolean());
        // The exact refit that was accepted: no failure (null values are left out of the JSON).
        Assert.Contains(Candidates(always), c => !c.GetProperty("approximate").GetBoolean()
            && (!c.TryGetProperty("failure", out var failure) || failure.ValueKind == System.Text.Json.JsonValueKind.Null));
    }
}
