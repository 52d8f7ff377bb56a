using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>Multipart buffer files left by a killed process are deleted when the service starts; fresh ones (a live request's) stay.</summary>
public sealed class UploadBufferCleanupTests
{
    [Fact]
    public void Stale_upload_buffers_are_deleted_at_start_up_and_fresh_ones_kept()
    {
        var stale = Path.Combine(Path.GetTempPath(), $"ASPNETCORE_{Guid.NewGuid()}.tmp");
        var fresh = Path.Combine(Path.GetTempPath(), $"ASPNETCORE_{Guid.NewGuid()}.tmp");
        File.WriteAllBytes(stale, new byte[1024]);
        File.WriteAllBytes(fresh, new byte[1024]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-3));
        try
        {
            using var factory = ApiFactory.With([]);
            factory.CreateClient().Dispose(); // starts the host
            Assert.False(File.Exists(stale), "the stale buffer is still there");
            Assert.True(File.Exists(fresh), "a fresh buffer (a live upload's) was deleted");
        }
        finally
        {
            File.Delete(stale);
            File.Delete(fresh);
        }
    }
}
