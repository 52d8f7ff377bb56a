using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>Rolling-origin backtests through HTTP: the chapter's daily-refit SARIMA loop and its baseline, refit schedules, validation, cancel.</summary>
public sealed class BacktestTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    [CtaFact]
    public async Task Daily_refit_sarima_reproduces_the_chapters_MAE()
    {
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadCtaAsync(client);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var backtest = await client.BacktestAsync(new
        {
            datasetId = dataset.Id(), targets = new[] { "rail" },
            model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
            trainFrom = "2019-01-01", from = "2019-03-01", to = "2019-05-31", horizon = 1, refitEvery = 1,
        });
        var metrics = backtest.GetProperty("metrics");
        Assert.Equal(32_040.7, metrics.GetProperty("mae").GetDouble(), 32_040.7 * 0.005);
        Assert.Equal(92, metrics.GetProperty("byTarget").GetProperty("rail").GetProperty("count").GetInt32());
        var forecasts = backtest.GetProperty("forecasts").EnumerateArray().ToList();
        Assert.Equal(92, forecasts.Count);
        Assert.Equal("2019-02-28", forecasts[0].GetProperty("origin").GetString());
        Assert.Equal("2019-03-01", forecasts[0].GetProperty("timestamp").GetString());
        Assert.Equal("2019-05-31", forecasts[^1].GetProperty("timestamp").GetString());
        Assert.Equal(92, backtest.GetProperty("progress").GetProperty("done").GetInt32());
        Assert.Equal(92, backtest.GetProperty("progress").GetProperty("total").GetInt32());
        // No per-origin database writes: the run costs the 92 fits. Wall time depends on the machine's load, so it is reported, not asserted.
        var seconds = (backtest.GetProperty("finishedAt").GetDateTimeOffset() - backtest.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        var cpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        output.WriteLine($"MAE {metrics.GetProperty("mae").GetDouble():F1} (chapter 32,040.7); {seconds:0.000} s wall, {cpuSeconds:0.000} s CPU of the test process while queued, run and polled");
    }

    [CtaFact]
    public async Task Seasonal_naive_backtest_matches_the_chapters_baseline_MAE()
    {
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadCtaAsync(client);
        var backtest = await client.BacktestAsync(new
        {
            datasetId = dataset.Id(), targets = new[] { "rail" }, model = new { kind = "seasonal_naive", season = 7 },
            trainFrom = "2019-01-01", from = "2019-03-01", to = "2019-05-31",
        });
        var mae = backtest.GetProperty("metrics").GetProperty("mae").GetDouble();
        output.WriteLine($"MAE {mae:F1} (chapter 42,143.3)");
        Assert.Equal(42_143.3, mae, 1.0);
        var forecasts = backtest.GetProperty("forecasts").EnumerateArray().ToList();
        Assert.Equal(92, forecasts.Count);
        // Last week's value: the forecast for 2019-03-08 is the actual of 2019-03-01.
        Assert.Equal(forecasts[0].GetProperty("actual").GetDouble(), forecasts[7].GetProperty("predicted").GetDouble());

        // The same forecasts as a long table.
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/backtests/{backtest.Id()}");
        csvRequest.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/csv"));
        var lines = (await (await client.SendAsync(csvRequest)).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("unique_id,cutoff,ds,target,step,mean,y", lines[0]);
        Assert.Equal(1 + 92, lines.Length);
        var row = lines[8].Split(',');
        Assert.Equal(("2019-03-08", "rail", "1"), (row[2], row[3], row[4]));
        Assert.Equal(forecasts[7].GetProperty("predicted").GetDouble(), double.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture));

        var list = await (await client.GetAsync("/api/backtests")).ReadJsonAsync();
        Assert.Contains(list.EnumerateArray(), b => b.Id() == backtest.Id());
        Assert.All(list.EnumerateArray(), b => Assert.False(b.TryGetProperty("forecasts", out _)));
    }

    [Fact]
    public async Task A_multi_step_backtest_refitting_weekly_forecasts_every_target_at_every_step()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 120)).Id();
        var backtest = await client.BacktestAsync(new
        {
            datasetId = id, targets = new[] { "value" },
            model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
            trainFrom = "2020-01-01", from = "2020-03-01", to = "2020-03-31", horizon = 3, refitEvery = 7,
        });
        var metrics = backtest.GetProperty("metrics");
        var perHorizon = metrics.GetProperty("perHorizon").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], perHorizon.Select(h => h.GetProperty("step").GetInt32()));
        Assert.All(perHorizon, h => Assert.Equal(31, h.GetProperty("count").GetInt32()));
        var forecasts = backtest.GetProperty("forecasts").EnumerateArray().ToList();
        Assert.Equal(31 * 3, forecasts.Count);
        // Origins 2020-02-27 .. 2020-03-30: 33 of them; every forecast lands in the period, after its origin.
        Assert.Equal(33, backtest.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal("2020-02-27", forecasts.Min(f => f.GetProperty("origin").GetString()));
        Assert.All(forecasts, f =>
        {
            var origin = DateOnly.Parse(f.GetProperty("origin").GetString()!);
            var timestamp = DateOnly.Parse(f.GetProperty("timestamp").GetString()!);
            Assert.Equal(origin.AddDays(f.GetProperty("step").GetInt32()), timestamp);
            Assert.InRange(timestamp, new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 31));
        });
        Assert.True(metrics.GetProperty("mae").GetDouble() < 10, $"a weekly pattern with small noise: {metrics}");
    }

    [Fact]
    public async Task Invalid_requests_are_400_problems_naming_the_field_and_store_nothing()
    {
        await using var queueOnly = ApiFactory.With(new() { ["role"] = "api" });
        var client = queueOnly.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 60)).Id(); // 2020-01-01 .. 2020-02-29
        var sarima = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } };
        var naive = new { kind = "naive" };
        var cases = new (string Field, object Body)[]
        {
            ("targets[0]", new { datasetId = id, targets = new[] { "nope" }, model = naive, from = "2020-02-01", to = "2020-02-10" }),
            ("model.kind", new { datasetId = id, targets = new[] { "value" }, model = new { kind = "prophet" }, from = "2020-02-01", to = "2020-02-10" }),
            ("from", new { datasetId = id, targets = new[] { "value" }, model = naive, from = "yesterday", to = "2020-02-10" }),
            ("to", new { datasetId = id, targets = new[] { "value" }, model = naive, from = "2020-02-10", to = "2020-02-01" }),
            ("to", new { datasetId = id, targets = new[] { "value" }, model = naive, from = "2020-02-10", to = "2021-01-01" }),
            ("horizon", new { datasetId = id, targets = new[] { "value" }, model = naive, from = "2020-02-01", to = "2020-02-10", horizon = 0 }),
            ("refitEvery", new { datasetId = id, targets = new[] { "value" }, model = naive, from = "2020-02-01", to = "2020-02-10", refitEvery = 0 }),
            ("from", new { datasetId = id, targets = new[] { "value" }, model = sarima, trainFrom = "2020-01-25", from = "2020-02-01", to = "2020-02-10" }),
            ("trainFrom", new { datasetId = id, targets = new[] { "value" }, model = naive, trainFrom = "2020-02-05", from = "2020-02-01", to = "2020-02-10" }),
        };
        foreach (var (field, body) in cases)
        {
            var response = await client.PostAsJsonAsync("/api/backtests", body);
            var problem = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 on {field}: {problem}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on '{field}': {problem}");
        }
        Assert.Equal(0, await queueOnly.QueryAsync(db => db.Backtests.CountAsync()));
    }

    [Fact]
    public async Task Cancelling_a_queued_backtest_ends_it_cancelled()
    {
        await using var queueOnly = ApiFactory.With(new() { ["role"] = "api" }); // no worker: the backtest stays queued
        var client = queueOnly.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 60)).Id();
        var response = await client.PostAsJsonAsync("/api/backtests", new { datasetId = id, targets = new[] { "value" }, model = new { kind = "naive" }, from = "2020-02-01", to = "2020-02-10" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadJsonAsync();
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal($"/api/backtests/{queued.Id()}", response.Headers.Location?.OriginalString);

        var cancel = await client.PostAsync($"/api/backtests/{queued.Id()}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var backtest = await (await client.GetAsync($"/api/backtests/{queued.Id()}")).ReadJsonAsync();
        Assert.Equal("cancelled", backtest.GetProperty("status").GetString());
        Assert.False(backtest.TryGetProperty("metrics", out _));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/backtests/{queued.Id()}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/backtests/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_running_backtest_stops_it_with_nothing_written()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 200, name: "long")).Id();
        // auto_sarima refitted at each of 100 origins: long enough to be caught running.
        var queued = await (await client.PostAsJsonAsync("/api/backtests", new
        {
            datasetId = id, targets = new[] { "value" }, model = new { kind = "auto_sarima" },
            from = "2020-04-01", to = "2020-07-09", refitEvery = 1,
        })).ReadJsonAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await (await client.GetAsync($"/api/backtests/{queued.Id()}")).ReadJsonAsync()).GetProperty("status").GetString() == "queued")
        {
            Assert.True(DateTime.UtcNow < deadline, "the backtest never started");
            await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/backtests/{queued.Id()}/cancel", null)).StatusCode);
        JsonElement backtest;
        do
        {
            Assert.True(DateTime.UtcNow < deadline + TimeSpan.FromMinutes(1), "the backtest did not stop");
            await Task.Delay(50);
            backtest = await (await client.GetAsync($"/api/backtests/{queued.Id()}")).ReadJsonAsync();
        } while (backtest.GetProperty("status").GetString() == "running");
        Assert.Equal("cancelled", backtest.GetProperty("status").GetString());
        Assert.False(backtest.TryGetProperty("metrics", out _));
        Assert.False(backtest.TryGetProperty("forecasts", out _));
        Assert.True(backtest.GetProperty("progress").GetProperty("done").GetInt32() < 100);
    }
}
