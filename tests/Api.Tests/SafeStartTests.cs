using System.Net;
using System.Net.Http.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Api.Tests;

/// <summary>
/// The built service as an operator starts it: from a working directory without appsettings.json, with bad
/// configuration, in open mode on all interfaces. A refused start is one line and exit code 1, before anything
/// listens or the database is touched; the production defaults hold without the file.
/// </summary>
public sealed class SafeStartTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("forecasting-start-");

    private string DatabasePath => Path.Combine(_folder.FullName, "forecasting.db");

    [Fact]
    public async Task Open_mode_on_all_interfaces_is_refused_before_anything_listens_or_migrates()
    {
        var exit = await ServiceProcess.RunUntilExitAsync(DatabasePath, new Dictionary<string, string> { ["Auth:Mode"] = "open" }, host: "0.0.0.0");
        Assert.Equal(1, exit.Code);
        var line = Assert.Single(exit.Lines);
        Assert.StartsWith("Refusing to start: Auth:Mode is open (no API keys) but the service listens on http://0.0.0.0:", line);
        Assert.Contains("Set Auth:Mode=keys and Auth:AdminKey", line);
        Assert.False(exit.PortAccepted, "the port accepted a connection while the open service was starting");
        Assert.False(File.Exists(DatabasePath), "the database was created before the refusal");
    }

    [Theory]
    [InlineData("Uploads:StaleBufferMinutes", "-5", "Configuration error: Uploads:StaleBufferMinutes must be between 1 and 10080; it is -5.")]
    [InlineData("Jobs:Workers", "abc", "Configuration error: Jobs:Workers must be a whole number; it is 'abc'.")]
    [InlineData("Limits:Forecasts:PermitLimit", "0", "Configuration error: Limits:Forecasts:PermitLimit must be at least 1; it is 0.")]
    [InlineData("Uploads:MaxBytes", "-5", "Configuration error: Uploads:MaxBytes must be at least 1024; it is -5.")]
    [InlineData("Jobs:Queues:0", "gpu", "Configuration error: Jobs:Queues:0 must be one of statistical, neural, bulk; it is 'gpu'.")]
    [InlineData("Jobs:BulkWork", "0", "Configuration error: Jobs:BulkWork must be at least 1; it is 0.")]
    [InlineData("Database:Provider", "mysql", "Configuration error: Database:Provider must be one of sqlite, postgres; it is 'mysql'.")]
    [InlineData("Training:Device", "tpu", "Configuration error: Training:Device must be one of cpu, cuda; it is 'tpu'.")]
    [InlineData("Auth:Mode", "closed", "Configuration error: Auth:Mode must be one of open, keys; it is 'closed'.")]
    public async Task A_bad_value_stops_the_start_with_one_line_naming_the_key_and_the_range(string key, string value, string expected)
    {
        var exit = await ServiceProcess.RunUntilExitAsync(DatabasePath, new Dictionary<string, string> { [key] = value });
        Assert.Equal(1, exit.Code);
        Assert.Equal(expected, Assert.Single(exit.Lines));
        Assert.False(File.Exists(DatabasePath), "the database was created before the refusal");
    }

    [Fact]
    public async Task Started_from_another_directory_the_production_log_levels_hold()
    {
        Assert.False(File.Exists(Path.Combine(_folder.FullName, "appsettings.json")));
        await using var service = await ServiceProcess.StartAsync(DatabasePath);
        var created = await service.Client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "s", count = 3, steps = 50 });
        Assert.True(created.IsSuccessStatusCode, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/api/datasets")).StatusCode);
        await Task.Delay(200); // the output is read asynchronously
        Assert.DoesNotContain("Executed DbCommand", service.Output);
        Assert.DoesNotContain("Microsoft.EntityFrameworkCore.Database.Command", service.Output);
        Assert.DoesNotContain("Request starting", service.Output); // Microsoft.AspNetCore at Warning too
    }

    public void Dispose()
    {
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
