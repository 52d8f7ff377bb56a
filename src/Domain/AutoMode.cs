using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>What <c>auto</c> does with its candidate methods (a training request's <c>model.mode</c>; select by default).</summary>
[JsonConverter(typeof(WireEnumConverter<AutoMode>))]
public enum AutoMode
{
    /// <summary>Per series and target, the candidate with the lowest rolling-origin cross-validation MAE.</summary>
    [JsonStringEnumMemberName("select")] Select,

    /// <summary>The mean of the ensemble's members, as StatsForecast's M3 experiment combines ETS, ARIMA and Theta.</summary>
    [JsonStringEnumMemberName("ensemble")] Ensemble,
}
