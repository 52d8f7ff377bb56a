using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Api.Ledger;

/// <summary>The time buckets of live accuracy (by target date): days, ISO weeks (from Monday) or calendar months.</summary>
[JsonConverter(typeof(WireEnumConverter<AccuracyBucket>))]
public enum AccuracyBucket
{
    [JsonStringEnumMemberName("day")] Day,
    [JsonStringEnumMemberName("week")] Week,
    [JsonStringEnumMemberName("month")] Month,
}
