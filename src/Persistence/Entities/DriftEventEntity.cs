namespace Forecasting.Persistence.Entities;

/// <summary>A drift rule's crossing: the statistic went above the threshold after the scoring of a batch.</summary>
public sealed class DriftEventEntity
{
    public long Id { get; set; }
    public Guid ForecasterId { get; set; }

    /// <summary>The model served when it fired (the statistic reads its forecasts only).</summary>
    public Guid ModelId { get; set; }

    public DriftStatistic Rule { get; set; }
    public int Window { get; set; }
    public double Threshold { get; set; }
    public double Statistic { get; set; }
    public DriftAction OnDrift { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The training run the schedule queued (onDrift retrain), once queued.</summary>
    public Guid? RetrainRunId { get; set; }

    /// <summary>Why the retrain could not be queued, if it could not.</summary>
    public string? RetrainError { get; set; }
}
