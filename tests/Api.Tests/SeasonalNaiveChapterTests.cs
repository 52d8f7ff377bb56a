using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>The chapter's first baseline through HTTP: copy last week, MAE over 2019-03..2019-05.</summary>
public sealed class SeasonalNaiveChapterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [CtaFact]
    public async Task Seasonal_naive_reproduces_the_chapters_MAE_and_MAPE()
    {
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadCtaAsync(client);
        Assert.Equal("D", dataset.GetProperty("frequency").GetString());
        Assert.True(dataset.GetProperty("duplicatesDropped").GetInt32() > 0, "the CTA file has duplicated rows");

        var model = await client.TrainAsync(new
        {
            datasetId = dataset.Id(),
            targets = new[] { "rail", "bus" },
            horizon = 1,
            split = new { trainFrom = "2016-01-01", trainTo = "2019-02-28", validFrom = "2019-03-01", validTo = "2019-05-31" },
            model = new { kind = "seasonal_naive", season = 7 },
        });
        var byTarget = model.GetProperty("metrics").GetProperty("validation").GetProperty("byTarget");
        Assert.Equal(42_143, byTarget.GetProperty("rail").GetProperty("mae").GetDouble(), 1.0);
        Assert.Equal(43_916, byTarget.GetProperty("bus").GetProperty("mae").GetDouble(), 1.0);
        Assert.Equal(9.0, Math.Round(byTarget.GetProperty("rail").GetProperty("mape").GetDouble(), 1));
        Assert.Equal(8.3, Math.Round(byTarget.GetProperty("bus").GetProperty("mape").GetDouble(), 1));
        Assert.Equal(92, byTarget.GetProperty("rail").GetProperty("count").GetInt32());

        // The forecast from 2019-05-31 repeats the last week, and its intervals nest around it.
        var forecast = await (await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast",
            new { origin = "2019-05-31", horizon = 7, levels = new[] { 80, 95 } })).ReadJsonAsync();
        var lastWeek = await (await client.GetAsync($"/api/datasets/{dataset.Id()}/data?from=2019-05-25&to=2019-05-31&columns=rail")).ReadJsonAsync();
        var rail = lastWeek.GetProperty("series")[0].GetProperty("columns").GetProperty("rail").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var points = forecast.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(7, points.Length);
        Assert.Equal("2019-06-01", points[0].GetProperty("timestamp").GetString());
        for (var k = 0; k < 7; k++)
        {
            var value = points[k].GetProperty("values").GetProperty("rail");
            Assert.Equal(rail[k], value.GetProperty("mean").GetDouble());
            double Bound(string side, string level) => value.GetProperty(side).GetProperty(level).GetDouble();
            Assert.True(Bound("lower", "95") < Bound("lower", "80") && Bound("lower", "80") < rail[k]);
            Assert.True(rail[k] < Bound("upper", "80") && Bound("upper", "80") < Bound("upper", "95"));
        }
    }
}
