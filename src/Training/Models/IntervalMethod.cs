using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>How forecast intervals are formed (the forecast request's <c>method</c>).</summary>
[JsonConverter(typeof(WireEnumConverter<IntervalMethod>))]
public enum IntervalMethod
{
    /// <summary>
    /// Split conformal on the validation period: the model's own spread per step (SARIMA's and the naive models'
    /// forecast standard deviation, MC-dropout samples' standard deviation, or the validation RMSE per step)
    /// scaled by the finite-sample quantile of the validation errors measured in that spread.
    /// </summary>
    [JsonStringEnumMemberName("conformal")] Conformal,

    /// <summary>The kind's own intervals: Gaussian on its variance, or MC-dropout sample percentiles.</summary>
    [JsonStringEnumMemberName("model")] Model,
}
