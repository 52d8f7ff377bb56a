using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Persistence.Entities;

/// <summary>The statistic a drift rule compares with its threshold (docs/production.md defines both).</summary>
[JsonConverter(typeof(WireEnumConverter<DriftStatistic>))]
public enum DriftStatistic
{
    [JsonStringEnumMemberName("errorRatio")] ErrorRatio,
    [JsonStringEnumMemberName("cusum")] Cusum,
}
