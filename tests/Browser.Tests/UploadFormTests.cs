using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Forecasting.Browser.Tests;

/// <summary>
/// The upload form with a retailer's long table (issue 21): Nixtla's unique_id, ds, y uploads as it is; another
/// layout's message names the series and time columns, and one click uploads again with them filled in. The
/// dataset page then shades a fraction split's periods on each series as the service cuts them.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class UploadFormTests(DashboardFixture fixture)
{
    private static string Panel(string header)
    {
        var csv = new StringBuilder(header + "\n");
        for (var week = 0; week < 10; week++)
            for (var sku = 0; sku < 3; sku++)
                csv.Append($"SKU00{sku},{new DateTime(2024, 1, 7).AddDays(7 * week):yyyy-MM-dd},{10 * sku + week}\n");
        return csv.ToString();
    }

    [ChromiumFact]
    public async Task A_long_table_uploads_as_it_is_or_with_the_columns_its_message_names()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/datasets");
        await page.WaitForSelectorAsync("#upload-form");
        Assert.Equal("seriesColumn", await page.GetAttributeAsync("#upload-series", "data-field"));
        Assert.Equal("timeColumn", await page.GetAttributeAsync("#upload-time", "data-field"));

        await DropFileAsync(page, "nixtla.csv", Panel("unique_id,ds,y"));
        await page.FillAsync("#upload-name", "long-nixtla");
        await page.ClickAsync("#upload-form button[type=submit]");
        await page.WaitForSelectorAsync("h1:text-is('Dataset long-nixtla')");
        Assert.Contains("3 series", await page.TextContentAsync("main p.muted"));

        await page.GotoAsync("/#/datasets");
        await page.WaitForSelectorAsync("#upload-form");
        await DropFileAsync(page, "weeks.csv", Panel("sku,week,y"));
        await page.FillAsync("#upload-name", "long-retried");
        await page.ClickAsync("#upload-form button[type=submit]");
        var line = page.Locator(".preview [data-line='2'] .line-error");
        await line.WaitForAsync();
        Assert.Contains("If sku names the series, pass seriesColumn=sku and timeColumn=week.", await line.TextContentAsync());
        var fix = page.Locator("#upload-apply-fix");
        Assert.Equal("Upload again with seriesColumn = sku, timeColumn = week", await fix.TextContentAsync());
        await Screenshots.SaveAsync(page, "upload-long-format");

        await fix.ClickAsync();
        await page.WaitForSelectorAsync("h1:text-is('Dataset long-retried')");
        Assert.Contains("3 series", await page.TextContentAsync("main p.muted"));
    }

    [ChromiumFact]
    public async Task The_dataset_page_shades_a_fraction_split_in_time_on_every_series()
    {
        var client = fixture.Service.Client;
        using var form = new MultipartFormDataContent { { new StringContent(Panel("unique_id,ds,y"), Encoding.UTF8, "text/csv"), "file", "split.csv" } };
        var datasetId = (await (await client.PostAsync("/api/datasets", form)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        // 10 weeks × 0.65 = 6.5 training points: rounded to even (6) as the service's Math.Round does; 10 × 0.85 = 8.5 → 8.
        var queued = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId, targets = new[] { "y" }, split = new { train = 0.65, valid = 0.2 }, model = new { kind = "naive" },
        });
        var runId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        string? status;
        while ((status = (await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}")).GetProperty("status").GetString()) is "queued" or "running")
            await Task.Delay(50);
        Assert.Equal("succeeded", status);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/datasets/{datasetId}?run={runId}");
        await page.WaitForFunctionAsync("() => window.__charts?.dataset?.areas?.length === 3");
        foreach (var series in new[] { "SKU000", "SKU002" })
        {
            await page.SelectOptionAsync("#dataset-series", series);
            await page.WaitForFunctionAsync($"() => document.getElementById('dataset-chart').getAttribute('aria-label').startsWith('Series {series} ')");
            var areas = await page.EvaluateAsync<JsonElement>("() => window.__charts.dataset.areas");
            Assert.Equal(
                [("train", "2024-01-07", "2024-02-11"), ("validation", "2024-02-18", "2024-02-25"), ("test", "2024-03-03", "2024-03-10")],
                areas.EnumerateArray().Select(a => (a.GetProperty("name").GetString(), a.GetProperty("from").GetString(), a.GetProperty("to").GetString())));
        }
    }

    /// <summary>Drops a file on the upload zone as a user's drag and drop does (a DataTransfer on a drop event).</summary>
    private static Task DropFileAsync(IPage page, string name, string text) => page.EvaluateAsync(
        """
        ([name, text]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text], name, { type: 'text/csv' }));
          document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
        """, new object[] { name, text });
}
