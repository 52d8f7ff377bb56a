using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>How a kind is fitted: once per series and target by the statistical engine, or epoch by epoch as a network.</summary>
[JsonConverter(typeof(WireEnumConverter<ModelFamily>))]
public enum ModelFamily
{
    /// <summary>Fitted once per (series, target); progress counts fits; refits are cheap.</summary>
    [JsonStringEnumMemberName("statistical")] Statistical,

    /// <summary>Trained epoch by epoch on windows; a refit is a whole training run.</summary>
    [JsonStringEnumMemberName("neural")] Neural,
}
