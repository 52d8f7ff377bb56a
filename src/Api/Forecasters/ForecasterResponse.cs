using Forecasting.Api.Ledger;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Forecasters;

/// <summary>One change of the active model: create, promote or rollback, with its reason.</summary>
public sealed record ForecasterChange(string Action, Guid? ModelId, Guid? PreviousModelId, string Reason, DateTimeOffset At)
{
    public static ForecasterChange From(ForecasterChangeEntity change) =>
        new(change.Action.ToWire(), change.ModelId, change.PreviousModelId, change.Reason, change.At);
}

/// <summary>A forecaster: its name, the model it serves, the schedule it follows, its changes, newest first, and its drift rule.</summary>
public sealed record ForecasterResponse(string Name, Guid? ActiveModelId, Guid? ScheduleId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<ForecasterChange> History, DriftRule? Drift = null)
{
    public static ForecasterResponse From(ForecasterEntity forecaster, IEnumerable<ForecasterChangeEntity> changes, DriftRuleEntity? drift = null) =>
        new(forecaster.Name, forecaster.ActiveModelId, forecaster.ScheduleId, forecaster.CreatedAt, forecaster.UpdatedAt,
            changes.OrderByDescending(c => c.Id).Select(ForecasterChange.From).ToList(), DriftRules.Describe(drift, forecaster.ActiveModelId));
}
