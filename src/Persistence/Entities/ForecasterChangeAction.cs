using System.Text.Json.Serialization;

namespace Forecasting.Persistence.Entities;

/// <summary>How a forecaster's active model changed; stored and written on the wire by its wire name.</summary>
public enum ForecasterChangeAction
{
    [JsonStringEnumMemberName("create")] Create,
    [JsonStringEnumMemberName("promote")] Promote,
    [JsonStringEnumMemberName("rollback")] Rollback,
}
