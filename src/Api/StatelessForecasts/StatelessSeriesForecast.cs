using System.Text.Json.Serialization;
using Forecasting.Api.Forecasts;

namespace Forecasting.Api.StatelessForecasts;

/// <summary>
/// One series of a stateless forecast: its last timestamp (the origin), the kind that forecast it (the one asked for, or
/// the fallback with the reason in <see cref="Fallback"/>), the forecast points, and with addHistory the in-sample one-step
/// <see cref="Fitted"/> values. <see cref="Error"/> says why a series could not be forecast (its points are then empty).
/// </summary>
public sealed record StatelessSeriesForecast(
    string Series,
    object Origin,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Fallback,
    IReadOnlyList<ForecastPoint> Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ForecastPoint>? Fitted = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
