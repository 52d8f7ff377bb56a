using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>What became of one series (and target) of a model's training run.</summary>
[JsonConverter(typeof(WireEnumConverter<SeriesStatus>))]
public enum SeriesStatus
{
    /// <summary>The requested kind was fitted to it.</summary>
    [JsonStringEnumMemberName("fitted")] Fitted,

    /// <summary>The kind could not be fitted (too short, constant, a failed fit); the run's fallback method was.</summary>
    [JsonStringEnumMemberName("fallback")] Fallback,

    /// <summary>Neither the kind nor the fallback could be fitted: the model does not forecast it.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
}
