using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>Which Croston forecast <c>croston</c> gives (a training request's <c>model.variant</c>; classic by default).</summary>
[JsonConverter(typeof(WireEnumConverter<CrostonVariant>))]
public enum CrostonVariant
{
    /// <summary>Croston (1972): the smoothed demand size over the smoothed interval between demands, as R's <c>croston()</c>.</summary>
    [JsonStringEnumMemberName("classic")] Classic,

    /// <summary>
    /// Syntetos–Boylan approximation (2005): the classic forecast times 1 − α/2, removing the classic method's
    /// upward bias; as StatsForecast's <c>CrostonSBA</c> and R's <c>croston(type = "sba")</c> in later forecast versions.
    /// </summary>
    [JsonStringEnumMemberName("sba")] Sba,
}
