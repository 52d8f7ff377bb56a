using System.ComponentModel.DataAnnotations;

namespace Forecasting.Api.Http;

/// <summary>A fixed window: at most PermitLimit requests per Window (e.g. "00:00:01").</summary>
public sealed class RateWindow
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Window { get; set; }
}
