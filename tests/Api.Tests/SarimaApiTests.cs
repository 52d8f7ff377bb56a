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
}
