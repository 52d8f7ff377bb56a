using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Forecasting.Browser.Tests;

/// <summary>
/// The dashboard in a real browser against the real service: upload the demo CSV by drag and drop, queue a
/// seasonal-naive and a small neural run from the form, watch them finish, read the forecast chart's data (history,
/// forecast, bands), cancel a run, and see validation errors beside their field or file line.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private static readonly string DemoCsv = File.ReadAllText(Path.Combine(DashboardFixture.RepositoryRoot(), "demo.csv"));

    [ChromiumFact]
    public async Task Upload_train_and_forecast_through_the_pages()
    {
        var page = await fixture.NewPageAsync();
        var datasetId = await UploadDemoAsync(page, "demo");
        await page.WaitForFunctionAsync("() => window.__charts?.dataset?.lines?.[0]?.points?.length === 400");
        var datasetChart = await ChartAsync(page, "dataset");
        Assert.Equal("visitors", datasetChart.GetProperty("lines")[0].GetProperty("name").GetString());
        Assert.Equal("2023-01-01", datasetChart.GetProperty("lines")[0].GetProperty("points")[0][0].GetString());

        // Seasonal naive from the form: the model kind's own field (season) and the split.
        await OpenQueueFormAsync(page, datasetId);
        await page.SelectOptionAsync("#run-kind", "seasonal_naive");
        await FillSplitAsync(page);
        await page.FillAsync("#model-season", "7");
        var naiveRun = await QueueAsync(page);
        await page.WaitForSelectorAsync("main[data-run-status='succeeded']", new() { Timeout = 60_000 });
        Assert.Equal("1 of 1", await StatusNumbersAsync(page, 1, "fit"));

        // A small neural run: progress reaches its last epoch and the learning curves hold every epoch.
        await OpenQueueFormAsync(page, datasetId);
        await page.SelectOptionAsync("#run-kind", "simple_rnn");
        await FillSplitAsync(page);
        await page.FillAsync("#model-units", "8");
        await page.FillAsync("#run-window", "14");
        await page.SelectOptionAsync("#run-scaling", "standard");
        await page.FillAsync("#training-epochs", "5");
        var neuralRun = await QueueAsync(page);
        await page.WaitForSelectorAsync("main[data-run-status='succeeded']", new() { Timeout = 90_000 });
        Assert.Equal("5 of 5", await StatusNumbersAsync(page, 5));
        Assert.Equal(await page.EvalOnSelectorAsync<double>("#run-progress", "p => p.max"), await page.EvalOnSelectorAsync<double>("#run-progress", "p => p.value"));
        await page.WaitForFunctionAsync("() => window.__charts['learning-curves']?.trainLoss?.length === 5");
        var curves = await ChartAsync(page, "learning-curves");
        Assert.Equal(5, curves.GetProperty("validMae").GetArrayLength());
        await ScreenshotAsync(page, "run");

        var neuralModel = await ModelOfAsync(neuralRun);
        var naiveModel = await ModelOfAsync(naiveRun);

        // The forecast page: 400 observed points, then 7 forecast points inside their 80% and 95% bands.
        await page.GotoAsync($"/#/forecast?model={naiveModel}");
        await page.WaitForFunctionAsync("() => window.__charts?.forecast?.lines?.length === 2");
        var forecast = await ChartAsync(page, "forecast");
        var history = forecast.GetProperty("lines")[0].GetProperty("points");
        var points = forecast.GetProperty("lines")[1].GetProperty("points");
        Assert.Equal(400, history.GetArrayLength());
        Assert.Equal(7, points.GetArrayLength());
        Assert.Equal("2024-02-05", points[0][0].GetString());
        var bands = forecast.GetProperty("bands").EnumerateArray().ToDictionary(b => b.GetProperty("level").GetInt32(), b => b.GetProperty("points"));
        Assert.Equal([80, 95], bands.Keys.Order());
        for (var i = 0; i < 7; i++)
        {
            var mean = points[i][1].GetDouble();
            double Lower(int level) => bands[level][i][1].GetDouble();
            double Upper(int level) => bands[level][i][2].GetDouble();
            Assert.True(Lower(95) <= Lower(80) && Lower(80) < mean && mean < Upper(80) && Upper(80) <= Upper(95), $"step {i + 1}: bands do not nest around the mean");
        }
        // What ECharts itself holds: the forecast line, and each band as its lower bound plus its width stacked on it.
        var drawn = (await page.EvaluateAsync<JsonElement>(
            "() => echarts.getInstanceByDom(document.getElementById('forecast-chart')).getOption().series.map(s => ({ name: s.name, stack: s.stack ?? null, stackStrategy: s.stackStrategy ?? null, data: s.data }))"))
            .EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(points.GetRawText(), drawn["forecast"].GetProperty("data").GetRawText());
        foreach (var level in new[] { 80, 95 })
        {
            var lower = drawn[$"{level}% interval lower"];
            var width = drawn[$"{level}% interval"];
            Assert.Equal(lower.GetProperty("stack").GetString(), width.GetProperty("stack").GetString());
            Assert.Equal("all", width.GetProperty("stackStrategy").GetString()); // a band below zero still stacks on its lower bound
            for (var i = 0; i < 7; i++)
            {
                Assert.Equal(bands[level][i][1].GetDouble(), lower.GetProperty("data")[i][1].GetDouble(), 6);
                Assert.Equal(bands[level][i][2].GetDouble(), lower.GetProperty("data")[i][1].GetDouble() + width.GetProperty("data")[i][1].GetDouble(), 6);
            }
        }
        // A backtest of the same request over the validation period: actual against predicted, MAE per step.
        await page.FillAsync("#bt-to", "2024-02-04");
        await page.ClickAsync("#backtest-form button[type=submit]");
        await page.WaitForFunctionAsync("() => window.__charts?.['backtest-horizon']?.categories?.length === 7", null, new() { Timeout = 60_000 });
        var backtest = await ChartAsync(page, "backtest");
        Assert.Equal(35, backtest.GetProperty("lines")[0].GetProperty("points").GetArrayLength()); // 2024-01-01..02-04, one step ahead
        Assert.Equal("2024-01-01", backtest.GetProperty("lines")[0].GetProperty("points")[0][0].GetString());
        await ScreenshotAsync(page, "forecast");

        // The neural model forecasts too, from the same page.
        await page.SelectOptionAsync("#fc-model", neuralModel);
        await page.WaitForFunctionAsync($"() => window.__charts?.forecast && document.querySelector('#fc-model').value === '{neuralModel}' && window.__charts.forecast.lines[1].points.length === 7");

        // The other pages, for the record: the dataset with the neural run's periods shaded, leaderboard, model.
        await page.GotoAsync($"/#/datasets/{datasetId}?run={neuralRun}");
        await page.WaitForFunctionAsync("() => window.__charts?.dataset?.areas?.length === 2");
        var areas = (await ChartAsync(page, "dataset")).GetProperty("areas");
        Assert.Equal("train", areas[0].GetProperty("name").GetString());
        Assert.Equal("2024-01-01", areas[1].GetProperty("from").GetString());
        await ScreenshotAsync(page, "dataset");
        await page.GotoAsync("/#/datasets");
        await page.WaitForSelectorAsync("main[data-ready='true'] table[aria-label='Datasets'] a");
        await ScreenshotAsync(page, "datasets");
        await page.GotoAsync($"/#/models?dataset={datasetId}&target=visitors");
        await page.WaitForSelectorAsync($"#leaderboard-body tr[data-model='{naiveModel}']");
        Assert.Equal(2, await page.Locator("#leaderboard-body tr[data-model]").CountAsync());
        await ScreenshotAsync(page, "models");
        await page.GotoAsync($"/#/models/{naiveModel}");
        await page.WaitForFunctionAsync("() => window.__charts?.['per-horizon']?.categories?.length === 7");
        await ScreenshotAsync(page, "model");
        await page.GotoAsync("/#/runs");
        await page.WaitForSelectorAsync($"tr[data-run='{neuralRun}']");
        await ScreenshotAsync(page, "runs");
        await AssertControlsLabelledAsync(page);

        // A schedule retraining the seasonal-naive request, fired once: next firing, active model, decision.
        var scheduleId = await ScheduleAndFireAsync(naiveRun);
        await page.GotoAsync("/#/schedules");
        var section = page.Locator($"section[data-schedule='{scheduleId}']");
        await section.WaitForAsync();
        Assert.Contains("promoted", await section.TextContentAsync());
        Assert.Equal(1, await section.Locator("a:text-is('active')").CountAsync());
        // The decisions over time: the chart's data (one decided run, promoted and marked) and the table with its reason.
        var chartId = $"schedule-decisions-{scheduleId}";
        await page.WaitForFunctionAsync($"() => window.__charts?.['{chartId}']?.lines?.[0]?.points?.length === 1");
        var decisionsChart = await page.EvaluateAsync<JsonElement>($"() => window.__charts['{chartId}']");
        var marked = decisionsChart.GetProperty("marks")[0];
        Assert.Equal("promoted", marked.GetProperty("name").GetString());
        Assert.Equal(decisionsChart.GetProperty("lines")[0].GetProperty("points")[0].ToString(), marked.GetProperty("points")[0].ToString());
        var chartElement = section.Locator($"[data-chart='{chartId}']");
        Assert.Equal("0", await chartElement.GetAttributeAsync("tabindex"));
        Assert.Contains("promoted", await chartElement.GetAttributeAsync("aria-label"));
        Assert.Contains("No active model yet.", await section.Locator($"table[data-decisions='{scheduleId}']").TextContentAsync());
        await ScreenshotAsync(page, "schedules");
    }

    private async Task<string> ScheduleAndFireAsync(string runId)
    {
        var client = fixture.Service.Client;
        var request = (await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}")).GetProperty("request");
        var created = await client.PostAsJsonAsync("/api/schedules", new { cron = "0 0 3 * * ?", promote = "if_better", trainingRun = request });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await client.PostAsync($"/api/schedules/{id}/trigger", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < 300; i++)
        {
            var schedule = await client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}");
            if (schedule.TryGetProperty("activeModelId", out var active) && active.ValueKind == JsonValueKind.String) return id;
            await Task.Delay(200);
        }
        throw new TimeoutException("The schedule's run did not produce an active model in 60 s.");
    }

    [ChromiumFact]
    public async Task The_key_box_sets_the_jobs_dashboard_cookie_and_the_link_opens_it()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/schedules");
        await page.FillAsync("#api-key", "a key with spaces;=");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "forecasting_key");
        Assert.Equal("/hangfire", cookie.Path);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal(Uri.EscapeDataString("a key with spaces;="), cookie.Value);
        // Only requests under /hangfire carry it (the service here is in open mode, so the dashboard opens either way).
        Assert.Empty(await page.Context.CookiesAsync([page.Url]));
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs dashboard" }).ClickAsync();
        await page.WaitForURLAsync("**/hangfire");
        Assert.Contains("Forecasting jobs", await page.ContentAsync());

        await page.GoBackAsync();
        await page.FillAsync("#api-key", "");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "forecasting_key");
    }

    [ChromiumFact]
    public async Task A_running_run_is_cancelled_from_its_page()
    {
        var page = await fixture.NewPageAsync();
        var datasetId = await UploadDemoAsync(page, "demo-cancel");
        await OpenQueueFormAsync(page, datasetId);
        await page.SelectOptionAsync("#run-kind", "lstm");
        await page.FillAsync("#split-trainFrom", "2023-01-01");
        await page.FillAsync("#split-trainTo", "2024-02-04");
        await page.FillAsync("#run-window", "28");
        await page.FillAsync("#training-epochs", "100000");
        try
        {
            await QueueAsync(page);
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Cancel run") }).ClickAsync();
            await page.WaitForSelectorAsync("main[data-run-status='cancelled']", new() { Timeout = 60_000 });
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Cancel run") }).CountAsync());
        }
        finally
        {
            // A failure above must not leave a 100,000-epoch run holding the neural slot the other tests need.
            foreach (var status in new[] { "queued", "running" })
                foreach (var run in (await fixture.Service.Client.GetFromJsonAsync<JsonElement>($"/api/training-runs?status={status}&datasetId={datasetId}")).EnumerateArray())
                    await fixture.Service.Client.PostAsync($"/api/training-runs/{run.GetProperty("id").GetString()}/cancel", null);
        }
    }

    [ChromiumFact]
    public async Task Validation_errors_appear_next_to_their_field_or_line()
    {
        var page = await fixture.NewPageAsync();
        var datasetId = await UploadDemoAsync(page, "demo-errors");

        // The API's message beside the form field it names, which is marked invalid and takes the focus.
        await OpenQueueFormAsync(page, datasetId);
        await page.FillAsync("#run-horizon", "0");
        await page.FillAsync("#split-trainFrom", "2023-01-01");
        await page.FillAsync("#split-trainTo", "2023-12-31");
        await page.ClickAsync("#queue-form button[type=submit]");
        var error = page.Locator("#run-horizon-error");
        await error.WaitForAsync();
        Assert.Contains("horizon must be at least 1", await error.TextContentAsync());
        Assert.Equal("true", await page.GetAttributeAsync("#run-horizon", "aria-invalid"));
        Assert.Equal("run-horizon", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await ScreenshotAsync(page, "validation-field");

        // A bad cell: the file's line is shown, marked, with the API's message beside it.
        await page.GotoAsync("/#/datasets");
        await page.WaitForSelectorAsync("#upload-form");
        await DropFileAsync(page, "bad.csv", "date,visitors\n2023-01-01,5\n2023-01-02,abc\n2023-01-03,7\n");
        await page.ClickAsync("#upload-form button[type=submit]");
        var line = page.Locator(".preview [data-line='3'] .line-error");
        await line.WaitForAsync();
        Assert.Contains("'abc' is not a number", await line.TextContentAsync());
        Assert.Equal("bad", await page.GetAttributeAsync(".preview [data-line='3']", "class"));
        await ScreenshotAsync(page, "validation-line");

        // No file at all: the message sits under the file field.
        await page.GotoAsync("/#/runs");
        await page.GotoAsync("/#/datasets");
        await page.WaitForSelectorAsync("#upload-form");
        await page.ClickAsync("#upload-form button[type=submit]");
        await page.Locator("#upload-file-error").WaitForAsync();
        Assert.Contains("A CSV file is required", await page.TextContentAsync("#upload-file-error"));
    }

    [ChromiumFact]
    public async Task The_pages_are_reachable_by_keyboard()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForSelectorAsync("main[data-ready='true']");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        for (var i = 0; i < 30 && await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')") != "#/models"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("#/models", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/#/models");
        await page.WaitForSelectorAsync("main[data-ready='true'] h1:text-is('Models')");
        Assert.Equal("page", await page.GetAttributeAsync("nav a[href='#/models']", "aria-current"));
        await AssertControlsLabelledAsync(page);
    }

    private async Task<string> UploadDemoAsync(IPage page, string name)
    {
        await page.GotoAsync("/#/datasets");
        await page.WaitForSelectorAsync("#upload-form");
        await DropFileAsync(page, "demo.csv", DemoCsv);
        await page.FillAsync("#upload-name", name);
        await page.ClickAsync("#upload-form button[type=submit]");
        await page.WaitForSelectorAsync($"h1:text-is('Dataset {name}')");
        return page.Url.Split("#/datasets/")[1].Split('?')[0];
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

    private static async Task OpenQueueFormAsync(IPage page, string datasetId)
    {
        await page.GotoAsync($"/#/runs?dataset={datasetId}");
        await page.WaitForSelectorAsync("main[data-ready='true'] #queue-form");
    }

    private static async Task FillSplitAsync(IPage page)
    {
        await page.FillAsync("#run-horizon", "7");
        await page.FillAsync("#split-trainFrom", "2023-01-01");
        await page.FillAsync("#split-trainTo", "2023-12-31");
        await page.FillAsync("#split-validFrom", "2024-01-01");
    }

    private async Task<string> QueueAsync(IPage page)
    {
        await page.ClickAsync("#queue-form button[type=submit]");
        try
        {
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/runs/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            // Say why: what the form shows, and what the service logged last.
            var output = fixture.Service.Output;
            throw new TimeoutException($"The queue form did not open the run's page. The form says: {await page.InnerTextAsync("#queue-form")}\n" +
                $"The service's last output:\n{output[Math.Max(0, output.Length - 4000)..]}", e);
        }
        await page.WaitForSelectorAsync("main[data-run-status]");
        return page.Url.Split("#/runs/")[1];
    }

    /// <summary>The run page's progress line starts with its steps: "epoch n of n" for neural runs, "fit n of n" for statistical ones.</summary>
    private static async Task<string> StatusNumbersAsync(IPage page, int epochs, string step = "epoch")
    {
        var text = await page.TextContentAsync("#run-numbers") ?? "";
        Assert.StartsWith($"{step} {epochs} of {epochs}", text);
        return $"{epochs} of {epochs}";
    }

    private async Task<string> ModelOfAsync(string runId)
    {
        using var run = JsonDocument.Parse(await fixture.Service.Client.GetStringAsync($"/api/training-runs/{runId}"));
        return run.RootElement.GetProperty("modelId").GetString()!;
    }

    private static async Task<JsonElement> ChartAsync(IPage page, string id) =>
        await page.EvaluateAsync<JsonElement>("id => window.__charts[id]", id);

    /// <summary>Every input and select on the page has a label (or an aria-label).</summary>
    private static async Task AssertControlsLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select')].filter(e => !e.labels?.length && !e.getAttribute('aria-label')).map(e => e.id || e.outerHTML)");
        Assert.Empty(unlabelled);
    }

    private static Task ScreenshotAsync(IPage page, string name) => Screenshots.SaveAsync(page, name);
}
