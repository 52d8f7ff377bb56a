using System.Net;
using System.Net.Http.Json;
using System.Text;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests.Auth;

/// <summary>The limits on work: per-key rate limits (429 with Retry-After, then recovery), the job cap, epochs × windows and body size.</summary>
public sealed class WorkLimitTests
{
    [Fact]
    public async Task Forecasts_over_the_rate_are_429_with_retry_after_and_recover_in_the_next_window()
    {
        using var factory = KeysMode.Factory(new() { ["Limits:Forecasts:PermitLimit"] = "2", ["Limits:Forecasts:Window"] = "00:00:02" });
        var (key, _) = await factory.CreateKeyAsync("forecaster", "read");
        var (other, _) = await factory.CreateKeyAsync("other", "read");
        var client = factory.Client(key);
        var url = $"/api/models/{Guid.NewGuid()}/forecast";
        // The limiter counts requests, whatever they find: an unknown model is a 404 that still uses a permit.
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(url, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(url, new { })).StatusCode);
        var refused = await client.PostAsJsonAsync(url, new { });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 2);
        Assert.Equal("Too many requests", (await refused.ReadJsonAsync()).GetProperty("title").GetString());
        // Another key has its own window.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Client(other).PostAsJsonAsync(url, new { })).StatusCode);

        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(url, new { })).StatusCode);
    }

    [Fact]
    public async Task Uploads_over_the_rate_are_429()
    {
        using var factory = KeysMode.Factory(new() { ["Limits:Uploads:PermitLimit"] = "1" });
        var (key, _) = await factory.CreateKeyAsync("uploader", "train");
        var client = factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/datasets/synthetic", new { count = 2, steps = 20, seed = 1 })).StatusCode);
        var refused = await client.PostAsJsonAsync("/api/datasets/synthetic", new { count = 2, steps = 20, seed = 2 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(1, await factory.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Datasets)));
    }

    [Fact]
    public async Task A_key_may_have_only_so_many_queued_or_running_jobs()
    {
        // role=api: nothing executes, so queued jobs stay queued.
        using var factory = KeysMode.Factory(new() { ["role"] = "api", ["Limits:MaxActiveJobsPerKey"] = "2" });
        var (key, keyId) = await factory.CreateKeyAsync("busy", "read", "train");
        var client = factory.Client(key);
        var dataset = await TestDatasets.UploadDailyAsync(client, days: 60);
        object Run() => new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "naive" } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/training-runs", Run())).StatusCode);
        var backtest = await client.PostAsJsonAsync("/api/backtests", new { datasetId = dataset.Id(), targets = new[] { "value" }, model = new { kind = "naive" }, from = "2020-02-01", to = "2020-02-10" });
        Assert.Equal(HttpStatusCode.Accepted, backtest.StatusCode);

        var refused = await client.PostAsJsonAsync("/api/training-runs", Run());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Limits:MaxActiveJobsPerKey", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(1, await factory.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.TrainingRuns)));
        Assert.Equal(Guid.Parse(keyId), await factory.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.TrainingRuns.Select(r => r.CreatedByKeyId))));

        // Cancelling one frees a place; another key is not affected meanwhile.
        var (otherKey, _) = await factory.CreateKeyAsync("idle", "train");
        Assert.Equal(HttpStatusCode.Accepted, (await factory.Client(otherKey).PostAsJsonAsync("/api/training-runs", Run())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/backtests/{(await backtest.ReadJsonAsync()).Id()}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/training-runs", Run())).StatusCode);
    }

    [Fact]
    public async Task A_run_asking_for_more_epochs_times_windows_than_allowed_is_a_400()
    {
        using var factory = ApiFactory.With(new() { ["role"] = "api", ["Limits:MaxWorkPerRun"] = "1000" });
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadDailyAsync(client, days: 120);
        object Run(int epochs) => new
        {
            datasetId = dataset.Id(), targets = new[] { "value" }, windowLength = 20, horizon = 1,
            model = new { kind = "linear" }, training = new { epochs },
        };
        // 120 − 20 − 1 + 1 = 100 training windows.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/training-runs", Run(10))).StatusCode);
        var refused = await client.PostAsJsonAsync("/api/training-runs", Run(11));
        var problem = await refused.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("11 epochs × 100 training windows = 1,100 window passes, above the cap of 1,000 per run (Limits:MaxWorkPerRun)", problem.GetProperty("errors").GetProperty("training.epochs")[0].GetString());
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_413_but_uploads_keep_their_own_limit()
    {
        using var factory = ApiFactory.With(new() { ["role"] = "api", ["Limits:MaxRequestBodyBytes"] = "2048" });
        var client = factory.CreateClient();
        var big = new StringContent("{\"datasetId\":\"" + Guid.NewGuid() + "\",\"pad\":\"" + new string('x', 3000) + "\"}", Encoding.UTF8, "application/json");
        var refused = await client.PostAsync("/api/training-runs", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("Limits:MaxRequestBodyBytes", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        // A 200-day JSON dataset is well over 2 KiB and goes to the upload route, which allows Uploads:MaxBytes.
        await TestDatasets.UploadDailyAsync(client, days: 200);
    }
}
