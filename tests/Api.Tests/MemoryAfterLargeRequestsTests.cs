using System.Net;
using System.Text;
using Forecasting.Tests.Shared;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// The service as a real process: after a burst of large hostile uploads (a 100,000-column CSV, a 50 MB line
/// as one category label, a 40 MB JSON body), each refused with a 4xx, its resident memory comes back to within
/// 300 MB of what it used idle.
/// </summary>
public sealed class MemoryAfterLargeRequestsTests(ITestOutputHelper output)
{
    private const long Allowance = 300L * 1024 * 1024;

    [Fact]
    public async Task Memory_returns_near_idle_after_a_burst_of_large_requests()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-memory-");
        try
        {
            await using var service = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "forecasting.db"));
            var client = service.Client;
            // Warm up the paths the burst takes, then settle: that is "idle".
            for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Csv("date,v\n2020-01-01,1\n2020-01-02,2\n"))).StatusCode);
            await Task.Delay(2000);
            var idle = service.WorkingSet;

            var wide = "date," + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"c{i}")) + "\n" +
                "2020-01-01," + string.Join(",", Enumerable.Repeat("1", 100_000)) + "\n";
            var label = "date,v,label\n2020-01-01,1," + new string('x', 50_000_000) + "\n2020-01-02,2,b\n";
            var json = new StringBuilder("""{ "name": "big", "frequency": "D", "series": [ { "start": "2020-01-01", "columns": { "v": [""");
            for (var i = 0; i < 4_000_000; i++) json.Append(i == 0 ? "" : ",").Append("1234567.5");
            json.Append("""], "zzUnknown": 1 } } ] }""");
            var peak = idle;
            for (var round = 0; round < 2; round++)
            {
                foreach (var (what, content) in new (string, HttpContent)[] { ("wide", Csv(wide)), ("label", Csv(label)), ("json", new StringContent(json.ToString(), Encoding.UTF8, "application/json")) })
                {
                    var response = await client.PostAsync("/api/datasets", content);
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    peak = Math.Max(peak, service.WorkingSet);
                }
            }

            var deadline = DateTime.UtcNow.AddSeconds(20);
            long now;
            while ((now = service.WorkingSet) > idle + Allowance && DateTime.UtcNow < deadline) await Task.Delay(500);
            output.WriteLine($"idle {idle / 1e6:0} MB, peak seen {peak / 1e6:0} MB, after {now / 1e6:0} MB");
            Assert.True(now <= idle + Allowance, $"idle {idle / 1e6:0} MB, peak seen {peak / 1e6:0} MB, still {now / 1e6:0} MB after 20 s");
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static MultipartFormDataContent Csv(string text) => new()
    {
        { new StringContent(text, Encoding.UTF8, "text/csv"), "file", "upload.csv" },
        { new StringContent("memory"), "name" },
    };
}
