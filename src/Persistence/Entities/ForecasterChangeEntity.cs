namespace Forecasting.Persistence.Entities;

/// <summary>One change of a forecaster's active model: create, promote or rollback, with its reason.</summary>
public sealed class ForecasterChangeEntity
{
    public long Id { get; set; }
    public Guid ForecasterId { get; set; }

    public ForecasterChangeAction Action { get; set; }

    public Guid? ModelId { get; set; }
    public Guid? PreviousModelId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
}
