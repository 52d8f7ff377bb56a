using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>How fractions split a panel (a training request's <c>split.by</c>; time by default).</summary>
[JsonConverter(typeof(WireEnumConverter<SplitBy>))]
public enum SplitBy
{
    /// <summary>Each series in time: the first <c>train</c> share of its points trains, the next <c>valid</c> share validates, the rest tests (as StatsForecast, sktime, Darts).</summary>
    [JsonStringEnumMemberName("time")] Time,

    /// <summary>
    /// Whole series, in dataset order: the first <c>train</c> share of the series trains, the next <c>valid</c> share
    /// validates, the rest tests (Hands-On ML chapter 15's split of its synthetic series). Only global (neural) models
    /// can be measured on series they were not trained on.
    /// </summary>
    [JsonStringEnumMemberName("series")] Series,
}
