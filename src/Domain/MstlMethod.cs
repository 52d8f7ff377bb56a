using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>How mstl forecasts the seasonally adjusted series (a training request's <c>model.method</c>; arima by default).</summary>
[JsonConverter(typeof(WireEnumConverter<MstlMethod>))]
public enum MstlMethod
{
    /// <summary>A non-seasonal ARIMA chosen by the auto_sarima search (stepwise, AICc), as R's <c>stlf(method = "arima")</c>.</summary>
    [JsonStringEnumMemberName("arima")] Arima,

    /// <summary>
    /// Additive-error exponential smoothing without season (ETS(A,N,N), (A,A,N) or (A,Ad,N), by AICc), as R's
    /// <c>stlf(method = "ets")</c> restricted to additive errors.
    /// </summary>
    [JsonStringEnumMemberName("ets")] Ets,
}
