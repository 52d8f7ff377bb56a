namespace Forecasting.Persistence.Entities;

/// <summary>A forecaster's drift rule (at most one) and whether its statistic is above the threshold now.</summary>
public sealed class DriftRuleEntity
{
    public Guid ForecasterId { get; set; }
    public DriftStatistic Rule { get; set; }

    /// <summary>How many of the latest scored forecasts the statistic reads.</summary>
    public int Window { get; set; }

    public double Threshold { get; set; }
    public DriftAction OnDrift { get; set; }

    /// <summary>
    /// The model whose statistic is above the threshold, from its crossing until it falls back to the threshold or below:
    /// one event per crossing, and a newly served model starts below.
    /// </summary>
    public Guid? FiringModelId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
