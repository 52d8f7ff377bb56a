using System.Text.Json.Serialization;

namespace Forecasting.Api.StatelessForecasts;

/// <summary>
/// The answer of POST /api/forecast: the kind asked for, the horizon, the interval method (always <c>model</c>: a stateless
/// fit has no validation period to calibrate on), one entry per series in the order sent, and the kind's facts
/// (chosen orders, candidates …) as a model summary's <c>details</c>.
/// </summary>
public sealed record StatelessForecastResponse(string Model, int Horizon, string Method, IReadOnlyList<StatelessSeriesForecast> Forecasts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object>? Details = null);
