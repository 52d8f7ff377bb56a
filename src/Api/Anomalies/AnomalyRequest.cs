using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.Anomalies;

/// <summary>
/// The body of POST /api/models/{id}/anomalies: judge every observation of <see cref="From"/>..<see cref="To"/>
/// against the model's <see cref="Step"/>-step-ahead forecast from the data before it, with the model's parameters fixed.
/// </summary>
public sealed record AnomalyRequest
{
    /// <summary>The first observation judged (a date, or a step number); required.</summary>
    /// <example>2020-06-01</example>
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? From { get; init; }

    /// <summary>The last observation judged (default: the end of the data).</summary>
    /// <example>2020-06-30</example>
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? To { get; init; }

    /// <summary>Which series: one id, a list of ids, or absent for all of the model's series.</summary>
    public JsonElement? Series { get; init; }

    /// <summary>The interval level in percent outside which an observation is flagged (default 95).</summary>
    /// <example>99</example>
    public double? Level { get; init; }

    /// <summary>Several levels at once, instead of <see cref="Level"/>: each observation is judged at each.</summary>
    public IReadOnlyList<double>? Levels { get; init; }

    /// <summary>Steps ahead h (default 1): each observation is judged by the forecast made h steps before it.</summary>
    /// <example>1</example>
    public int? Step { get; init; }

    /// <summary>
    /// Replace each flagged observation (at the widest level asked) by its forecast mean in the history later forecasts
    /// start from, so one anomaly does not distort the forecasts after it (default false: every forecast is the one
    /// POST /api/models/{id}/forecast gives from the stored data).
    /// </summary>
    public bool? Clean { get; init; }

    /// <summary>"conformal" (default where the model is calibrated) or "model" (the kind's own intervals), as for forecasts.</summary>
    public IntervalMethod? Method { get; init; }
}
