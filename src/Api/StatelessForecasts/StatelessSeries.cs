using System.Text.Json;

namespace Forecasting.Api.StatelessForecasts;

/// <summary>One inline series: the shape of a dataset upload's series, with one column, <see cref="Values"/>.</summary>
public sealed record StatelessSeries
{
    /// <summary>The series id (string or number); may be left out when there is one series.</summary>
    public JsonElement? Id { get; init; }

    /// <summary>First timestamp (ISO date or step number); the rest follow at the frequency.</summary>
    public JsonElement? Start { get; init; }

    /// <summary>One timestamp per value (ISO dates or step numbers), instead of <see cref="Start"/>.</summary>
    public IReadOnlyList<JsonElement>? Timestamps { get; init; }

    /// <summary>The observations, numbers (null only with a fillPolicy).</summary>
    public IReadOnlyList<JsonElement>? Values { get; init; }
}
