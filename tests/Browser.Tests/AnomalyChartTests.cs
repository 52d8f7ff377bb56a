using System.Net.Http.Json;
using System.Text.Json;

namespace Forecasting.Browser.Tests;

/// <summary>
/// The model page's anomaly check (issue 19): the judged observations on a chart against their forecasts and interval,
/// the flagged ones marked, the same ones the API flags.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AnomalyChartTests(DashboardFixture fixture)
{
    [ChromiumFact]
    public async Task Flagged_observations_are_marked_on_the_series_chart()
    {
        var client = fixture.Service.Client;
        var random = new Random(4);
        var values = Enumerable.Range(0, 120).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 2 * random.NextDouble()).ToArray();
        values[100] += 40;
        values[110] -= 40;
        var created = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "anomaly-chart", frequency = "D",
            series = new[] { new { id = "s1", start = "2024-01-01", columns = new Dictionary<string, double[]> { ["visits"] = values } } },
        })).Content.ReadFromJsonAsync<JsonElement>();
        var queued = await (await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = created.GetProperty("id").GetString(), targets = new[] { "visits" }, horizon = 1, model = new { kind = "seasonal_naive" },
            split = new { trainTo = "2024-03-01", validFrom = "2024-03-02", validTo = "2024-04-01" },
        })).Content.ReadFromJsonAsync<JsonElement>();
        JsonElement run;
        while ((run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{queued.GetProperty("id").GetString()}")).GetProperty("status").GetString() is "queued" or "running")
            await Task.Delay(50);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var modelId = run.GetProperty("modelId").GetString();

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/models/{modelId}");
        await page.WaitForSelectorAsync("main[data-ready='true'] #anomalies-from");
        await page.FillAsync("#anomalies-from", "2024-04-02");
        await page.ClickAsync("form[aria-label='Anomalies'] button[type=submit]");
        await page.WaitForFunctionAsync("() => window.__charts?.anomalies?.marks?.length === 1");
        var chart = await page.EvaluateAsync<JsonElement>("() => window.__charts.anomalies");
        var marked = chart.GetProperty("marks")[0].GetProperty("points").EnumerateArray().Select(p => p[0].GetString()).ToList();
        Assert.Contains("2024-04-10", marked); // day 100
        Assert.Contains("2024-04-20", marked); // day 110
        Assert.Equal(28, chart.GetProperty("lines")[0].GetProperty("points").GetArrayLength());

        var answer = await (await client.PostAsJsonAsync($"/api/models/{modelId}/anomalies", new { from = "2024-04-02", level = 99 })).Content.ReadFromJsonAsync<JsonElement>();
        var flagged = answer.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("anomaly").GetProperty("99").GetBoolean())
            .Select(p => p.GetProperty("timestamp").GetString()).ToList();
        Assert.Equal(flagged, marked);
        Assert.DoesNotContain("null", await page.InnerTextAsync("#anomalies-result"));
        await Screenshots.SaveAsync(page, "model-anomalies");
    }
}
