namespace Forecasting.Persistence.Entities;

/// <summary>A stable name serving one model at a time; it follows a schedule's promotions when <see cref="ScheduleId"/> is set.</summary>
public sealed class ForecasterEntity
{
    public Guid Id { get; set; }

    /// <summary>Unique, URL-safe name (letters, digits, '-', '_', '.').</summary>
    public required string Name { get; set; }

    public Guid? ScheduleId { get; set; }

    /// <summary>The model served now; null for a schedule's forecaster before its first promotion.</summary>
    public Guid? ActiveModelId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
