namespace Forecasting.Persistence.Entities;

/// <summary>
/// One recorded forecast value: a (series, target) of a model at one horizon step from one origin, with its 80% and
/// 95% bounds where the forecast had them, and, once the target's observation is stored, the actual (scored).
/// Ordinals are the dataset frequency's (<see cref="Frequency"/> names it), so records keep their meaning when the
/// dataset is gone.
/// </summary>
public sealed class ForecastRecordEntity
{
    public long Id { get; set; }

    /// <summary>The forecaster it was served through; null for a model forecast recorded on request.</summary>
    public Guid? ForecasterId { get; set; }

    public Guid ModelId { get; set; }
    public Guid DatasetId { get; set; }
    public required string Series { get; set; }
    public required string Target { get; set; }

    /// <summary>The dataset's frequency code, to format the ordinals.</summary>
    public required string Frequency { get; set; }

    /// <summary>The last observation the forecast used (ordinal).</summary>
    public long Origin { get; set; }

    /// <summary>Horizon step, 1-based.</summary>
    public int Step { get; set; }

    /// <summary>The forecast's target time (ordinal): <see cref="Origin"/> plus <see cref="Step"/> steps.</summary>
    public long Timestamp { get; set; }

    public double Mean { get; set; }
    public double? Lower80 { get; set; }
    public double? Upper80 { get; set; }
    public double? Lower95 { get; set; }
    public double? Upper95 { get; set; }

    /// <summary>MASE denominator: the in-sample seasonal naive MAE of the series up to the origin; null when it has none.</summary>
    public double? MaseScale { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The observed value, set with <see cref="ScoredAt"/> once, when the target's observation is stored.</summary>
    public double? Actual { get; set; }

    public DateTimeOffset? ScoredAt { get; set; }
}
