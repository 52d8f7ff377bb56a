using System.Text.Json;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Audit;

/// <summary>One audit row: when, who (key id and name), what, on which resource, and details.</summary>
public sealed record AuditEventResponse(long Id, DateTimeOffset At, Guid? KeyId, string Actor, string Action, string Resource, string ResourceId, JsonElement? Details)
{
    public static AuditEventResponse From(AuditEventEntity e) =>
        new(e.Id, e.At, e.KeyId, e.Actor, e.Action, e.Resource, e.ResourceId, e.DetailsJson is null ? null : JsonDocument.Parse(e.DetailsJson).RootElement.Clone());
}
