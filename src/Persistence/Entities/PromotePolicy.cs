using System.Text.Json.Serialization;

namespace Forecasting.Persistence.Entities;

/// <summary>When a schedule makes its new model the active one; stored and written on the wire by its wire name.</summary>
public enum PromotePolicy
{
    [JsonStringEnumMemberName("always")] Always,

    /// <summary>Only when the new validation MAE is lower than the active model's (or there is no active model).</summary>
    [JsonStringEnumMemberName("if_better")] IfBetter,

    [JsonStringEnumMemberName("never")] Never,
}
