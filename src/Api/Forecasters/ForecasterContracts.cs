using Forecasting.Api.Ledger;

namespace Forecasting.Api.Forecasters;

/// <summary>
/// The body of POST /api/forecasters: a name, and either the model to serve or the schedule whose promoted model
/// it serves (following each promotion).
/// </summary>
public sealed record CreateForecasterRequest
{
    /// <example>rail-daily</example>
    public string? Name { get; init; }

    public Guid? ModelId { get; init; }

    public Guid? ScheduleId { get; init; }

    /// <summary>Why it was created (recorded in its history).</summary>
    public string? Reason { get; init; }

    /// <summary>A drift rule on the live errors of the forecasts served (docs/production.md).</summary>
    public DriftRuleRequest? Drift { get; init; }
}

/// <summary>The body of POST /api/forecasters/{name}/promote.</summary>
public sealed record PromoteForecasterRequest
{
    public Guid? ModelId { get; init; }

    public string? Reason { get; init; }
}

/// <summary>The body of POST /api/forecasters/{name}/rollback (optional).</summary>
public sealed record RollbackForecasterRequest
{
    public string? Reason { get; init; }
}
