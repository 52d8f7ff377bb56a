using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Api.Forecasts;

/// <summary>The body of POST /api/models/{id}/forecast. Every field is optional.</summary>
public sealed record ForecastRequest
{
    /// <summary>Use data up to and including this point (default: the end of the series or of the observations).</summary>
    /// <example>2019-05-31</example>
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? Origin { get; init; }

    /// <summary>Which series of a panel (default: the only one).</summary>
    public string? Series { get; init; }

    /// <summary>Steps to forecast (default: the trained horizon; at most the trained horizon for direct and seq2seq models).</summary>
    /// <example>7</example>
    public int? Horizon { get; init; }

    /// <summary>Interval levels in percent (default 80 and 95).</summary>
    public IReadOnlyList<double>? Levels { get; init; }

    /// <summary>MC-dropout passes for neural models with dropout (default 100).</summary>
    public int? Samples { get; init; }

    /// <summary>
    /// Recent rows overriding or extending the stored data: <c>{ "timestamp": "2019-06-01", "rail": 512345, "day_type": "W" }</c>.
    /// Rows continuing (or overlapping) the stored series are spliced onto it; otherwise they are the whole history.
    /// </summary>
    public IReadOnlyList<Dictionary<string, JsonElement>>? Observations { get; init; }

    /// <summary>Known-future covariate rows for the forecast steps (models trained with knownFuture).</summary>
    public IReadOnlyList<Dictionary<string, JsonElement>>? Future { get; init; }
}

/// <summary>Bounds per level ("80", "95") around the mean of one target at one step.</summary>
public sealed record ForecastValue(double Mean, IReadOnlyDictionary<string, double> Lower, IReadOnlyDictionary<string, double> Upper);

public sealed record ForecastPoint(object Timestamp, IReadOnlyDictionary<string, ForecastValue> Values);

public sealed record ForecastResponse(Guid ModelId, string Series, object Origin, int Horizon, IReadOnlyList<ForecastPoint> Points);
