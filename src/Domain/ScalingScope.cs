using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// Which values standard scaling's mean and standard deviation are fitted on (a training request's <c>scaling.per</c>):
/// each series' own training period (default), or the whole panel's as one block.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<ScalingScope>))]
public enum ScalingScope
{
    /// <summary>
    /// Every series is scaled, and its forecasts unscaled, by its own statistics, so a SKU selling 1.5 a week and one
    /// selling 150 reach the network on one footing and get intervals in proportion to their own spread.
    /// </summary>
    [JsonStringEnumMemberName("series")] Series,

    /// <summary>One mean and standard deviation for all series together (the service's behaviour before per-series scaling).</summary>
    [JsonStringEnumMemberName("panel")] Panel,
}
