using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Auth;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>The job engine as an operator sees it: log lines of a job carry its run id and worker; the dashboard is local-only in open mode and admin-only in keys mode.</summary>
public sealed class JobsHostingTests
{
    [Fact]
    public async Task Job_log_lines_carry_the_run_id_and_worker_and_the_dashboard_answers_local_requests()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-logs-");
        await using var service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "logs.db"),
            new Dictionary<string, string> { ["Logging:Format"] = "json", ["Jobs:WorkerName"] = "worker-under-test" });
        var dataset = (await TestDatasets.UploadDailyAsync(service.Client, days: 60, name: "logs")).Id();
        var queued = await (await service.Client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = dataset, targets = new[] { "value" }, model = new { kind = "naive" },
            split = new { trainFrom = "2020-01-01", trainTo = "2020-02-10" },
        })).ReadJsonAsync();
        var run = await service.Client.WaitForRunAsync(queued.Id());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        var lines = service.Output.Split('\n').Where(l => l.TrimStart().StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var jobLines = lines.Where(l => l.TryGetProperty("RunId", out var id) && id.GetString() == queued.Id()).ToList();
        Assert.NotEmpty(jobLines);
        Assert.All(jobLines, l => Assert.Equal("worker-under-test", l.GetProperty("Worker").GetString()));
        Assert.Contains(jobLines, l => l.GetProperty("@mt").GetString()!.Contains("succeeded"));
        // One line per request from Serilog's request logging (compact JSON: the template and its properties).
        Assert.Contains(lines, l => l.GetProperty("@mt").GetString()!.StartsWith("HTTP {RequestMethod} {RequestPath} responded {StatusCode}")
            && l.GetProperty("RequestPath").GetString() == "/api/training-runs" && l.GetProperty("StatusCode").GetInt32() == 202);

        var dashboard = await service.Client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Forecasting jobs", await dashboard.Content.ReadAsStringAsync());
        try { folder.Delete(recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task In_keys_mode_the_dashboard_needs_an_admin_key()
    {
        using var keys = Auth.KeysMode.Factory();
        var (readKey, _) = await keys.CreateKeyAsync("reader", "read");
        Assert.Equal(HttpStatusCode.Unauthorized, (await keys.CreateClient().GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await keys.Client(readKey).GetAsync("/hangfire")).StatusCode);
        var admin = await keys.AdminClient().GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Forecasting jobs", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_host_runs_its_jobs_in_its_own_container()
    {
        // Hangfire's process-wide activator is set by whichever host configures itself last: a host that has
        // configured itself, then sees another start, must still activate its jobs from its own services.
        await using var first = ApiFactory.With(new() { ["role"] = "api" });
        first.Services.GetRequiredService<Hangfire.IGlobalConfiguration>();
        await using var second = ApiFactory.With([]);
        _ = second.Services;
        foreach (var host in new[] { first, second })
        {
            var activator = host.Services.GetRequiredService<Hangfire.JobActivator>();
            using var scope = activator.BeginScope((Hangfire.JobActivatorContext)null!);
            var db = (Forecasting.Persistence.ForecastingDbContext)scope.Resolve(typeof(Forecasting.Persistence.ForecastingDbContext));
            using var own = host.Services.CreateScope();
            Assert.Equal(own.ServiceProvider.GetRequiredService<Forecasting.Persistence.ForecastingDbContext>().Database.GetConnectionString(), db.Database.GetConnectionString());
        }
    }

    [Fact]
    public async Task In_keys_mode_the_pages_cookie_opens_the_dashboard_and_nothing_else()
    {
        using var keys = Auth.KeysMode.Factory();
        var (readKey, _) = await keys.CreateKeyAsync("reader", "read");
        var client = keys.CreateClient();
        Task<HttpResponseMessage> WithCookie(HttpMethod method, string path, string? key)
        {
            var request = new HttpRequestMessage(method, path);
            if (key is not null) request.Headers.Add("Cookie", $"forecasting_key={Uri.EscapeDataString(key)}");
            // What the dashboard's poller posts to /stats.
            if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]);
            return client.SendAsync(request);
        }

        var admin = await WithCookie(HttpMethod.Get, "/hangfire", Auth.KeysMode.AdminKey);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Forecasting jobs", await admin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(HttpMethod.Get, "/hangfire/jobs/enqueued", Auth.KeysMode.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await WithCookie(HttpMethod.Get, "/hangfire", readKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, "/hangfire", null)).StatusCode);
        // The dashboard's live counters (its one POST) work with the cookie; the cookie is no credential for the API.
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(HttpMethod.Post, "/hangfire/stats", Auth.KeysMode.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, "/api/keys", Auth.KeysMode.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, "/api/datasets", readKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Post, "/api/datasets/synthetic", Auth.KeysMode.AdminKey)).StatusCode);
    }
}
