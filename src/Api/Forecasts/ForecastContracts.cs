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

    /// <summary>
    /// Which series: one id (answered as one forecast), a list of ids, or absent for all of the model's series
    /// (answered as a list when the model has more than one).
    /// </summary>
    public JsonElement? Series { get; init; }

    /// <summary>Steps to forecast (default: the trained horizon; at most the trained horizon for direct and seq2seq models).</summary>
    /// <example>7</example>
    public int? Horizon { get; init; }

    /// <summary>Interval levels in percent (default 80 and 95).</summary>
    public IReadOnlyList<double>? Levels { get; init; }

    /// <summary>Quantiles in (0, 1), e.g. [0.1, 0.5, 0.9]: the bounds of the central intervals they define (0.1 and 0.9: the 80% interval; 0.5: the mean).</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }

    /// <summary>"conformal" (default where the model has a validation period) or "model" (the kind's own intervals); see docs/intervals.md.</summary>
    /// <example>conformal</example>
    public string? Method { get; init; }

    /// <summary>MC-dropout passes for neural models with dropout (default 100).</summary>
    public int? Samples { get; init; }

    /// <summary>
    /// Recent rows overriding or extending the stored data: <c>{ "timestamp": "2019-06-01", "rail": 512345, "day_type": "W" }</c>.
    /// Rows continuing (or overlapping) the stored series are spliced onto it; otherwise they are the whole history.
    /// </summary>
    public IReadOnlyList<Dictionary<string, JsonElement>>? Observations { get; init; }

    /// <summary>Known-future covariate rows for the forecast steps (models trained with knownFuture).</summary>
    public IReadOnlyList<Dictionary<string, JsonElement>>? Future { get; init; }

    /// <summary>
    /// true: record the forecast in the ledger, to be scored when its targets are observed (GET /api/models/{id}/accuracy).
    /// Forecasts through a forecaster are always recorded.
    /// </summary>
    public bool? Record { get; init; }

    /// <summary>
    /// Models with a regression part (sarima with known-future columns): add each regressor's contribution to the mean,
    /// coefficient × value, per step (<c>contributions</c> beside <c>mean</c>). Other models refuse it.
    /// </summary>
    public bool? Explain { get; init; }
}

/// <summary>Bounds per level ("80", "95") around the mean of one target at one step, and the requested quantiles ("0.1").</summary>
public sealed record ForecastValue(double Mean, IReadOnlyDictionary<string, double> Lower, IReadOnlyDictionary<string, double> Upper,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Quantiles = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Contributions = null);

public sealed record ForecastPoint(object Timestamp, IReadOnlyDictionary<string, ForecastValue> Values);

public sealed record ForecastResponse(Guid ModelId, string Series, object Origin, int Horizon, string Method, IReadOnlyList<ForecastPoint> Points);

/// <summary>One series of a batch forecast; <see cref="Error"/> says why a series could not be forecast (its points are then empty).</summary>
public sealed record SeriesForecast(string Series, object? Origin, IReadOnlyList<ForecastPoint> Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>The answer for several series: one entry per series, in the order asked (or the dataset's).</summary>
public sealed record ForecastBatchResponse(Guid ModelId, int Horizon, string Method, IEnumerable<SeriesForecast> Forecasts);
