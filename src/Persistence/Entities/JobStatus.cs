using System.Text.Json.Serialization;

namespace Forecasting.Persistence.Entities;

/// <summary>Where a job's row is in its lifecycle; stored and written on the wire by its wire name.</summary>
public enum JobStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}
