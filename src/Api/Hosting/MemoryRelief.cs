using System.Runtime;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

/// <summary>
/// Gives memory back to the operating system after a request that allocated a lot (a large upload, a refused
/// 100,000-column file): once the response is sent, a compacting full collection returns the freed heap, so the
/// process does not stay at its peak until restarted. At most one such collection per
/// <see cref="MinimumInterval"/>; the threshold is Memory:CompactAfterMegabytes (default 64).
/// </summary>
public sealed class MemoryRelief(RequestDelegate next, IOptions<MemoryOptions> options)
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(2);
    private static long _lastCompaction;
    private static int _scheduled;
    private readonly long _threshold = (long)(options.Value.CompactAfterMegabytes * 1024 * 1024);

    public async Task InvokeAsync(HttpContext context)
    {
        var before = GC.GetTotalAllocatedBytes();
        try
        {
            await next(context);
        }
        finally
        {
            if (GC.GetTotalAllocatedBytes() - before > _threshold) Schedule();
        }
    }

    private static void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var wait = MinimumInterval - TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastCompaction));
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                Interlocked.Exchange(ref _lastCompaction, DateTime.UtcNow.Ticks);
            }
            finally
            {
                Interlocked.Exchange(ref _scheduled, 0);
            }
        });
    }
}
