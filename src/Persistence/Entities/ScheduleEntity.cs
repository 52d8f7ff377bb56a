namespace Forecasting.Persistence.Entities;

/// <summary>A recurring retraining: a recurring job that queues a training run from <see cref="SpecJson"/> on the newest data.</summary>
public sealed class ScheduleEntity
{
    public Guid Id { get; set; }

    /// <summary>The cron as the user gave it (5 fields, 6 with seconds, or the older Quartz form "0 0 3 * * ?"; see CronSchedule).</summary>
    public required string Cron { get; set; }

    /// <summary>IANA time zone id the cron expression is read in.</summary>
    public required string TimeZone { get; set; }

    /// <summary>The dataset its runs train on (the request's datasetId, kept as a column so a dataset's schedules are found by query).</summary>
    public Guid DatasetId { get; set; }

    /// <summary>The training request (TrainingRunSpec) as JSON, as it was when the schedule was created.</summary>
    public required string SpecJson { get; set; }

    public PromotePolicy Promote { get; set; }

    /// <summary>Ordinal of the last point of the dataset's (selected) series when the schedule was created; date splits shift by the steps added since.</summary>
    public long DataEnd { get; set; }

    public Guid? ActiveModelId { get; set; }
    public Guid? LastRunId { get; set; }

    /// <summary>The last promotion decision (a PromotionDecision as JSON); null until a scheduled run has succeeded.</summary>
    public string? LastDecisionJson { get; set; }

    public DateTimeOffset? LastFiredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
