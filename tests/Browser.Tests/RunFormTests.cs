using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Forecasting.Browser.Tests;

/// <summary>
/// The queue form shows each kind the settings it reads (issue 20): a statistical kind its fallback and transform, a
/// kind with known-future covariates the dataset's columns, calendar features and holidays; every kind its bounds.
/// What the form sends is what the run records.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RunFormTests(DashboardFixture fixture)
{
    [ChromiumFact]
    public async Task Covariates_calendar_holidays_and_bounds_reach_the_run()
    {
        var client = fixture.Service.Client;
        var csv = new StringBuilder("date,visitors,day_type\n");
        for (var day = 0; day < 140; day++)
        {
            var date = new DateTime(2024, 1, 1).AddDays(day);
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            csv.Append($"{date:yyyy-MM-dd},{(weekend ? 600 : 1000) + day},{(weekend ? "A" : "W")}\n");
        }
        using var form = new MultipartFormDataContent { { new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), "file", "visits.csv" } };
        var datasetId = (await (await client.PostAsync("/api/datasets", form)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/runs?dataset={datasetId}");
        await page.WaitForSelectorAsync("main[data-ready='true'] #queue-form");

        await page.SelectOptionAsync("#run-kind", "seasonal_naive");
        Assert.True(await page.IsVisibleAsync("#run-fallback"));
        Assert.True(await page.IsVisibleAsync("#run-transform"));
        Assert.False(await page.IsVisibleAsync("#run-known-future"));
        Assert.True(await page.IsVisibleAsync("#run-bounds-lower"));

        await page.SelectOptionAsync("#run-kind", "linear");
        Assert.False(await page.IsVisibleAsync("#run-fallback"));
        Assert.True(await page.IsVisibleAsync("#run-known-future"));
        await page.CheckAsync("#known-day_type");
        await page.CheckAsync("#calendar-dayOfWeek");
        await page.FillAsync("#run-holidays", "us");
        await page.FillAsync("#run-bounds-lower", "0");
        await page.FillAsync("#run-horizon", "7");
        await page.FillAsync("#split-trainFrom", "2024-01-01");
        await page.FillAsync("#split-trainTo", "2024-04-09");
        await page.FillAsync("#split-validFrom", "2024-04-10");
        await page.FillAsync("#run-window", "14");
        await page.FillAsync("#training-epochs", "3");
        await Screenshots.SaveAsync(page, "run-form-covariates");
        await page.ClickAsync("#queue-form button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/runs/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("main[data-run-status='succeeded']", new() { Timeout = 90_000 });

        var runId = page.Url.Split("#/runs/")[1];
        var request = (await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{runId}")).GetProperty("request");
        Assert.Equal(["day_type"], request.GetProperty("knownFuture").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["dayOfWeek"], request.GetProperty("calendar").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("US", request.GetProperty("holidays").GetProperty("country").GetString());
        Assert.Equal(0, request.GetProperty("bounds").GetProperty("lower").GetDouble());
    }
}
