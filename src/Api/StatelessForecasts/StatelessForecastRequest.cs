using Forecasting.Domain;

namespace Forecasting.Api.StatelessForecasts;

/// <summary>
/// The JSON body of POST /api/forecast: series sent inline, fitted and forecast in the request, nothing stored. With a
/// text/csv body (Nixtla's long format unique_id, ds, y) every field but <see cref="Series"/> comes as a query parameter.
/// </summary>
public sealed record StatelessForecastRequest
{
    /// <summary>A frequency code (30min, H, D, B, W, M, QS, YS … or steps; docs/api.md); inferred from timestamps when absent (required with a date start).</summary>
    /// <example>D</example>
    public string? Frequency { get; init; }

    /// <summary>null (gaps and missing values are a 400), ffill, interpolate or zero: as a dataset upload.</summary>
    public string? FillPolicy { get; init; }

    /// <summary>The series: each an id, start or timestamps, and values.</summary>
    public IReadOnlyList<StatelessSeries>? Series { get; init; }

    /// <summary>Steps to forecast (required; at most Limits:Stateless:MaxHorizon).</summary>
    /// <example>14</example>
    public int? Horizon { get; init; }

    /// <summary>Interval levels in percent (default 80 and 95).</summary>
    public IReadOnlyList<double>? Levels { get; init; }

    /// <summary>Quantiles in (0, 1), e.g. [0.1, 0.5, 0.9]: the bounds of the central intervals they define.</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }

    /// <summary>The model, as a training request's <c>model</c>: any statistical kind with its fields (default <c>{ "kind": "auto" }</c>).</summary>
    public ModelSpec? Model { get; init; }

    /// <summary>Also answer the in-sample one-step fitted values of each series (<c>fitted</c>; in CSV, rows at the series' own timestamps).</summary>
    public bool? AddHistory { get; init; }
}
