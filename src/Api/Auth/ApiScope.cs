using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Api.Auth;

/// <summary>
/// What a key may do. Scopes are independent (a train key cannot read unless it also has read); the
/// configuration admin key and open mode hold all three.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<ApiScope>))]
public enum ApiScope
{
    /// <summary>GET routes and forecasts.</summary>
    [JsonStringEnumMemberName("read")] Read,

    /// <summary>Uploads, training runs, backtests, schedules, cancellations.</summary>
    [JsonStringEnumMemberName("train")] Train,

    /// <summary>Keys, deletions, the audit trail and the job dashboard.</summary>
    [JsonStringEnumMemberName("admin")] Admin,
}
