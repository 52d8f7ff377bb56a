using System.Text.Json.Serialization;

namespace Forecasting.Api.Auth;

/// <summary>Auth:Mode. Keys: every /api route and the dashboards need a key. Open: no keys, allowed only on loopback.</summary>
public enum AuthMode
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("keys")] Keys,
}
