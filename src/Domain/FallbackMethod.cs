using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// A training request's <c>fallback</c>: what a statistical run fits to a series its kind cannot fit, as StatsForecast's
/// <c>fallback_model</c>. Seasonal naive by default.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<FallbackMethod>))]
public enum FallbackMethod
{
    /// <summary>The value one season earlier (the model's season, else the frequency's); the naive method where the series is not longer than a season.</summary>
    [JsonStringEnumMemberName("seasonal_naive")] SeasonalNaive,

    /// <summary>The last value.</summary>
    [JsonStringEnumMemberName("naive")] Naive,

    /// <summary>No fallback: such a series is skipped, and the model does not forecast it.</summary>
    [JsonStringEnumMemberName("none")] None,
}
