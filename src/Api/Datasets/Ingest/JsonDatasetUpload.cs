using System.Text.Json;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// The JSON form of an upload or append (API.md): <c>{ "name", "frequency", "series": [ { "id", "start" or
/// "timestamps", "columns": { "rail": [..], "day_type": [..] } } ] }</c>. Cells are numbers, strings or null;
/// a string anywhere in a column makes it categorical.
/// </summary>
public sealed record JsonDatasetUpload
{
    public string? Name { get; init; }

    /// <summary>A frequency code (30min, H, D, B, W, M, QS, YS … or steps; docs/api.md); inferred from timestamps when absent (required with a date start).</summary>
    public string? Frequency { get; init; }

    /// <summary>null (reject gaps and missing values), ffill, interpolate or zero.</summary>
    public string? FillPolicy { get; init; }

    public IReadOnlyList<JsonSeriesUpload>? Series { get; init; }

    /// <summary>The values each named numeric column can take, e.g. <c>{ "rides": { "lower": 0 } }</c> (<see cref="ColumnBounds"/>); at upload only.</summary>
    public IReadOnlyDictionary<string, Forecasting.Domain.ForecastBounds>? Bounds { get; init; }
}

public sealed record JsonSeriesUpload
{
    /// <summary>The series id (string or number); may be left out when there is one series.</summary>
    public JsonElement? Id { get; init; }

    /// <summary>First timestamp (ISO date or step number); the rest follow at the frequency.</summary>
    public JsonElement? Start { get; init; }

    /// <summary>One timestamp per value (ISO dates or step numbers), instead of <see cref="Start"/>.</summary>
    public IReadOnlyList<JsonElement>? Timestamps { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>>? Columns { get; init; }
}
