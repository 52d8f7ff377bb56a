using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Tests.Shared;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Forecasting.Browser.Tests;

/// <summary>
/// Each page's first paint on the one-process default with the CTA data loaded, read from the Performance API
/// (first-contentful-paint, and the dashboard-ready mark once the page's data is drawn) in a fresh browser
/// context per load. The figures go to TestResults/first-paint.md for docs/benchmarks.md; this test checks what
/// is drawn (the 7,639-point series, downsampled for display), not how fast: timings live in the benchmarks.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FirstPaintTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private const int Loads = 3;

    [ChromiumCtaFact]
    public async Task Every_page_paints_with_the_CTA_data_loaded()
    {
        var client = fixture.Service.Client;
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(CtaData.RequiredPath)), "file", "cta_ridership.csv" },
            { new StringContent("cta"), "name" },
            { new StringContent("date,day_type,bus,rail,total"), "columnNames" },
            { new StringContent("total"), "dropColumns" },
        };
        var upload = await client.PostAsync("/api/datasets", form);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        using var dataset = JsonDocument.Parse(await upload.Content.ReadAsStringAsync());
        var datasetId = dataset.RootElement.GetProperty("id").GetString()!;
        var length = dataset.RootElement.GetProperty("series")[0].GetProperty("length").GetInt32();

        var queued = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId, targets = new[] { "rail" }, horizon = 14,
            split = new { trainFrom = "2016-01-01", trainTo = "2019-02-28", validFrom = "2019-03-01", validTo = "2019-05-31" },
            model = new { kind = "seasonal_naive", season = 7 },
        });
        Assert.True(queued.IsSuccessStatusCode, await queued.Content.ReadAsStringAsync());
        var runId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        string? modelId = null;
        for (var i = 0; i < 600 && modelId is null; i++)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}");
            Assert.NotEqual("failed", run.GetProperty("status").GetString());
            if (run.GetProperty("status").GetString() == "succeeded") modelId = run.GetProperty("modelId").GetString();
            else await Task.Delay(200);
        }
        Assert.NotNull(modelId);

        var pages = new (string Name, string Url, string ReadyWhen)[]
        {
            ("Datasets", "/#/datasets", "() => document.querySelector('main[data-ready=true] table a')"),
            ("Dataset (CTA, 2 columns)", $"/#/datasets/{datasetId}?run={runId}", $"() => window.__charts?.dataset?.lines?.[0]?.points?.length === {length}"),
            ("Training runs", "/#/runs", "() => document.querySelector('main[data-ready=true] #runs-body tr[data-run]')"),
            ("Training run", $"/#/runs/{runId}", "() => window.__charts?.['learning-curves']"),
            ("Models", $"/#/models?dataset={datasetId}&target=rail", "() => document.querySelector('#leaderboard-body tr[data-model]')"),
            ("Model", $"/#/models/{modelId}", "() => window.__charts?.['per-horizon']"),
            ("Forecast", $"/#/forecast?model={modelId}", "() => window.__charts?.forecast?.lines?.length === 2"),
            ("Schedules", "/#/schedules", "() => document.querySelector('main[data-ready=true] h1')"),
        };
        var zooms = new List<double>();
        var rows = new List<string> { "| page | first contentful paint, ms (median of 3) | data drawn (dashboard-ready), ms | chart draw, ms |", "|---|---:|---:|---:|" };
        foreach (var (name, url, readyWhen) in pages)
        {
            var paints = new List<double>();
            var readies = new List<double>();
            var draws = new List<double>();
            for (var load = 0; load < Loads; load++)
            {
                await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Service.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
                var page = await context.NewPageAsync();
                await page.GotoAsync(url);
                await page.WaitForFunctionAsync(readyWhen, null, new() { Timeout = 30_000 });
                await page.WaitForFunctionAsync("() => performance.getEntriesByName('first-contentful-paint').length && performance.getEntriesByName('dashboard-ready').length");
                paints.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0].startTime"));
                readies.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByName('dashboard-ready')[0].startTime"));
                draws.Add(await page.EvaluateAsync<double>("() => Math.max(0, ...Object.values(window.__charts).map(c => c.drawMs ?? 0))"));
                if (load == 0 && name == "Forecast") await Screenshots.SaveAsync(page, "forecast-cta");
                if (load == 0 && name.StartsWith("Dataset (")) await Screenshots.SaveAsync(page, "dataset-cta");
                if (name.StartsWith("Dataset (")) zooms.Add(await CheckLongSeriesAsync(page, length));
            }
            rows.Add($"| {name} | {Median(paints):F0} | {Median(readies):F0} | {Median(draws):F0} |");
        }
        rows.Add("");
        rows.Add($"Zoom to 20% of the {length}-point CTA chart (bus and rail, one dataZoom action, synchronous redraw): {Median(zooms):F1} ms (median of {Loads}).");
        var table = string.Join('\n', rows);
        output.WriteLine(table);
        await File.WriteAllTextAsync(Path.Combine(DashboardFixture.ScreenshotDirectory, "..", "first-paint.md"), table + "\n");
    }

    /// <summary>The whole CTA series is handed to the chart, which draws an LTTB downsample; zooming redraws at once.</summary>
    private async Task<double> CheckLongSeriesAsync(IPage page, int length)
    {
        Assert.True(length > 7000, $"the CTA series has {length} days");
        var chart = await page.EvaluateAsync<JsonElement>("() => window.__charts.dataset");
        Assert.True(chart.GetProperty("sampledForDisplay").GetBoolean());
        Assert.Equal(["bus", "rail"], chart.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("name").GetString()).Order());
        Assert.Equal(2, chart.GetProperty("areas").GetArrayLength()); // train and validation shaded (no test period)
        var zoomMs = await page.EvaluateAsync<double>(
            "() => { const c = echarts.getInstanceByDom(document.getElementById('dataset-chart')); const t = performance.now(); c.dispatchAction({ type: 'dataZoom', start: 40, end: 60 }); return performance.now() - t; }");
        return zoomMs;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
