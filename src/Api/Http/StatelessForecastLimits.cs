using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Http;

/// <summary>
/// Caps on POST /api/forecast (configuration section "Limits:Stateless"): a stateless forecast fits every series it is
/// sent inside the request, so its size bounds the request's time. Each refusal names its cap's key.
/// </summary>
public sealed class StatelessForecastLimits
{
    public const string Section = "Limits:Stateless";

    /// <summary>Series in one request (default 100).</summary>
    [Range(1, 1_000_000)]
    public int MaxSeries { get; set; } = 100;

    /// <summary>Observations in one request, all series together (default 100,000).</summary>
    [Range(1, 100_000_000)]
    public int MaxPoints { get; set; } = 100_000;

    /// <summary>Steps one request may forecast (default 500; Limits:MaxHorizon applies too).</summary>
    [Range(1, 1_000_000)]
    public int MaxHorizon { get; set; } = 500;

    /// <summary>Requests per key (default 10 a second; open mode is not limited).</summary>
    [ValidateObjectMembers]
    public RateWindow Rate { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromSeconds(1) };
}
