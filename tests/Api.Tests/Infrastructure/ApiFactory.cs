using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forecasting.Api.Tests.Infrastructure;

/// <summary>
/// The real service in-process (API, job workers, migrations) on its own temporary SQLite file.
/// Extra settings (e.g. "role" = "api" for a host that only queues) come through the constructor.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiFactory() : this([]) { }

    /// <summary>A factory with extra settings; xunit fixtures use the parameterless constructor.</summary>
    public static ApiFactory With(Dictionary<string, string?> settings) => new(settings);

    private ApiFactory(Dictionary<string, string?> settings)
    {
        Directory = Path.Combine(Path.GetTempPath(), "forecasting-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _settings = new Dictionary<string, string?>(settings);
        // A PostgreSQL test gives its own connection string; the others get a fresh SQLite file.
        _settings.TryAdd("ConnectionStrings:Forecasting", $"Data Source={Path.Combine(Directory, "forecasting.db")}");
    }

    public string Directory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddFilter((_, level) => level >= LogLevel.Warning));
    }

    /// <summary>Runs a query against the service's database (for asserting that nothing was written).</summary>
    public async Task<T> QueryAsync<T>(Func<ForecastingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ForecastingDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { /* SQLite may still hold the file on some systems */ }
    }
}

/// <summary>Small helpers the API tests share: JSON in, JSON out, polling a run to its end.</summary>
public static class ApiClientExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Polls GET /api/training-runs/{id} until the run finishes (or the timeout passes) and returns it.</summary>
    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, string runId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            var run = await (await client.GetAsync($"/api/training-runs/{runId}")).ReadJsonAsync();
            var status = run.GetProperty("status").GetString();
            if (status is "succeeded" or "failed" or "cancelled") return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {runId} still '{status}' after the timeout: {run}");
            await Task.Delay(50);
        }
    }

    /// <summary>Queues a run and waits for it; asserts it succeeded and returns the model.</summary>
    public static async Task<JsonElement> TrainAsync(this HttpClient client, object request, TimeSpan? timeout = null)
    {
        var queued = await client.PostAsJsonAsync("/api/training-runs", request, Json);
        var body = await queued.ReadJsonAsync();
        Assert.True(queued.StatusCode == System.Net.HttpStatusCode.Accepted, $"queueing failed: {body}");
        var run = await client.WaitForRunAsync(body.GetProperty("id").GetString()!, timeout);
        Assert.True(run.GetProperty("status").GetString() == "succeeded", $"run did not succeed: {run}");
        var model = await client.GetAsync($"/api/models/{run.GetProperty("modelId").GetString()}");
        return await model.ReadJsonAsync();
    }

    /// <summary>Queues a backtest and waits for it; asserts it succeeded and returns it.</summary>
    public static async Task<JsonElement> BacktestAsync(this HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/backtests", request, Json);
        var queued = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"queueing failed: {queued}");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            var backtest = await (await client.GetAsync($"/api/backtests/{queued.GetProperty("id").GetString()}")).ReadJsonAsync();
            var status = backtest.GetProperty("status").GetString();
            if (status is "succeeded") return backtest;
            Assert.False(status is "failed" or "cancelled", $"backtest ended {status}: {backtest}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Backtest still '{status}': {backtest}");
            await Task.Delay(50);
        }
    }
}
