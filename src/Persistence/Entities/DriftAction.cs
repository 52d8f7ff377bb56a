using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Persistence.Entities;

/// <summary>What a drift event does besides being recorded.</summary>
[JsonConverter(typeof(WireEnumConverter<DriftAction>))]
public enum DriftAction
{
    [JsonStringEnumMemberName("notify")] Notify,
    [JsonStringEnumMemberName("retrain")] Retrain,
}
