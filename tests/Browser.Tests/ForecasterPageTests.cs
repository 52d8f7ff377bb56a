using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Forecasting.Browser.Tests;

/// <summary>
/// The forecaster page: live accuracy per bucket against validation (the charts' data equal the accuracy route's
/// figures), the per-step table, the drift rule's state and its events, after forecasts served and observations appended.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ForecasterPageTests(DashboardFixture fixture)
{
    [ChromiumFact]
    public async Task The_forecaster_page_shows_live_accuracy_against_validation_the_drift_events_and_the_anomalies_on_arrival()
    {
        var client = fixture.Service.Client;
        var values = Enumerable.Range(0, 100).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 3 * Math.Sin(1.7 * t)).ToArray();
        var uploaded = await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "forecaster-page", frequency = "D",
            series = new[] { new { id = "s1", start = "2020-01-01", columns = new Dictionary<string, object> { ["value"] = values } } },
        });
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var datasetId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var queued = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId, targets = new[] { "value" }, horizon = 7, model = new { kind = "seasonal_naive", season = 7 },
            split = new { trainFrom = "2020-01-01", trainTo = "2020-03-10", validFrom = "2020-03-11" },
        });
        Assert.True(queued.IsSuccessStatusCode, await queued.Content.ReadAsStringAsync());
        var modelId = await ModelOfAsync(client, (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        var created = await client.PostAsJsonAsync("/api/forecasters", new
        {
            name = "page-daily", modelId, drift = new { rule = "errorRatio", window = 7, threshold = 1.5, onDrift = "notify" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        // Two weeks served and observed: the first close to the forecasts, the second far off (a drift event).
        foreach (var offset in new[] { 1.0, 60.0 })
        {
            var forecast = await client.PostAsJsonAsync("/api/forecasters/page-daily/forecast", new { horizon = 7 });
            var points = (await forecast.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("points").EnumerateArray().ToList();
            // The second week is also judged on arrival by the forecaster's model, which flags it.
            var appended = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/observations{(offset > 1 ? "?check=page-daily" : "")}", new
            {
                series = new[] { new { id = "s1", start = points[0].GetProperty("timestamp").GetString(), columns = new Dictionary<string, object>
                {
                    ["value"] = points.Select(p => p.GetProperty("values").GetProperty("value").GetProperty("mean").GetDouble() + offset).ToArray(),
                } } },
            });
            Assert.True(appended.IsSuccessStatusCode, await appended.Content.ReadAsStringAsync());
        }
        var accuracy = await client.GetFromJsonAsync<JsonElement>("/api/forecasters/page-daily/accuracy?bucket=week");
        var buckets = accuracy.GetProperty("models")[0].GetProperty("buckets").EnumerateArray().ToList();

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/forecasters");
        await page.GetByRole(AriaRole.Link, new() { Name = "page-daily" }).ClickAsync();
        await page.WaitForFunctionAsync("() => window.__charts?.['forecaster-mae']?.lines?.length === 2");
        var mae = await page.EvaluateAsync<JsonElement>("() => window.__charts['forecaster-mae']");
        var live = mae.GetProperty("lines")[0];
        Assert.StartsWith("live MAE", live.GetProperty("name").GetString());
        Assert.Equal(buckets.Select(b => b.GetProperty("start").GetString()), live.GetProperty("points").EnumerateArray().Select(p => p[0].GetString()));
        Assert.Equal(buckets.Select(b => b.GetProperty("live").GetProperty("mae").GetDouble()), live.GetProperty("points").EnumerateArray().Select(p => p[1].GetDouble()));
        var validation = mae.GetProperty("lines")[1];
        Assert.StartsWith("validation MAE", validation.GetProperty("name").GetString());
        Assert.All(validation.GetProperty("points").EnumerateArray(),
            p => Assert.Equal(accuracy.GetProperty("models")[0].GetProperty("validation").GetProperty("mae").GetDouble(), p[1].GetDouble()));
        var coverage = await page.EvaluateAsync<JsonElement>("() => window.__charts['forecaster-coverage']");
        Assert.Contains(coverage.GetProperty("lines").EnumerateArray(), l => l.GetProperty("name").GetString()!.StartsWith("live 95% coverage", StringComparison.Ordinal));

        Assert.Equal(7, await page.Locator($"table[data-steps='{modelId}'] tbody tr").CountAsync());
        Assert.Equal("firing", await page.Locator("td[data-drift]").GetAttributeAsync("data-drift"));
        var events = page.Locator("table[data-events='page-daily'] tbody tr");
        Assert.Equal(1, await events.CountAsync());
        Assert.Contains("errorRatio", await events.First.TextContentAsync());
        var flagged = await client.GetFromJsonAsync<JsonElement>("/api/forecasters/page-daily/anomalies");
        Assert.True(flagged.GetArrayLength() > 0);
        Assert.Equal(flagged.GetArrayLength(), await page.Locator("table[data-anomalies='page-daily'] tbody tr").CountAsync());
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select')].filter(e => !e.labels?.length && !e.getAttribute('aria-label')).map(e => e.id || e.outerHTML)");
        Assert.Empty(unlabelled);
        await Screenshots.SaveAsync(page, "forecaster");

        // Another bucket from the picker: the route's month figures.
        await page.SelectOptionAsync("#accuracy-bucket", "month");
        await page.WaitForFunctionAsync("() => location.hash.endsWith('bucket=month') && window.__charts?.['forecaster-mae']?.lines?.[0]?.points?.[0]?.[0]?.endsWith('-01')");
    }

    private static async Task<string> ModelOfAsync(HttpClient client, string runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status == "succeeded") return run.GetProperty("modelId").GetString()!;
            Assert.False(status is "failed" or "cancelled", run.ToString());
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {runId} did not finish in 60 s.");
    }
}
