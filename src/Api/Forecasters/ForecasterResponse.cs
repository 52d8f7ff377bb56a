using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Forecasters;

/// <summary>One change of the active model: create, promote or rollback, with its reason.</summary>
public sealed record ForecasterChange(string Action, Guid? ModelId, Guid? PreviousModelId, string Reason, DateTimeOffset At)
{
    public static ForecasterChange From(ForecasterChangeEntity change) =>
        new(change.Action.ToWire(), change.ModelId, change.PreviousModelId, change.Reason, change.At);
}

/// <summary>A forecaster: its name, the model it serves, the schedule it follows, and its changes, newest first.</summary>
public sealed record ForecasterResponse(string Name, Guid? ActiveModelId, Guid? ScheduleId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<ForecasterChange> History)
{
    public static ForecasterResponse From(ForecasterEntity forecaster, IEnumerable<ForecasterChangeEntity> changes) =>
        new(forecaster.Name, forecaster.ActiveModelId, forecaster.ScheduleId, forecaster.CreatedAt, forecaster.UpdatedAt,
            changes.OrderByDescending(c => c.Id).Select(ForecasterChange.From).ToList());
}
