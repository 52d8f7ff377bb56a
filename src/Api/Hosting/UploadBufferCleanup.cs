using Forecasting.Api.Http;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

/// <summary>
/// At start-up, deletes the multipart buffer files (ASPNETCORE_*.tmp) that a killed process left in the temp
/// folder; a live request's buffer is younger than Uploads:StaleBufferMinutes (default 60) and is kept.
/// </summary>
public sealed class UploadBufferCleanup(IOptions<UploadsOptions> options, TimeProvider clock, ILogger<UploadBufferCleanup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Environment.GetEnvironmentVariable("ASPNETCORE_TEMP") is { Length: > 0 } configured ? configured : Path.GetTempPath();
        var age = TimeSpan.FromMinutes(options.Value.StaleBufferMinutes);
        var cutoff = clock.GetUtcNow().UtcDateTime - age;
        long freed = 0;
        var count = 0;
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("ASPNETCORE_*.tmp"))
            {
                if (file.LastWriteTimeUtc > cutoff) continue;
                try
                {
                    var length = file.Length;
                    file.Delete();
                    freed += length;
                    count++;
                }
                catch (IOException) { } // gone already, or held by another process: the next start tries again
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (DirectoryNotFoundException) { }
        if (count > 0) logger.LogInformation("Deleted {Count} stale upload buffer file(s) ({Megabytes:0.0} MB) from {Folder}", count, freed / 1e6, folder);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
