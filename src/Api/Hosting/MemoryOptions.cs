using System.ComponentModel.DataAnnotations;

namespace Forecasting.Api.Hosting;

/// <summary>The <c>Memory</c> section: when a request allocated enough to be worth giving memory back to the operating system.</summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    /// <summary>Megabytes allocated by one request above which a compacting collection follows it (default 64).</summary>
    [Range(1d, 1_048_576d)]
    public double CompactAfterMegabytes { get; set; } = 64;
}
