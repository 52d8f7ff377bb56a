namespace Forecasting.Persistence.Entities;

/// <summary>
/// An appended observation that a forecaster's model flagged on arrival: outside its one-step forecast interval at
/// <see cref="Level"/>. Ordinals are the dataset frequency's (<see cref="Frequency"/> names it), as in the ledger.
/// </summary>
public sealed class AnomalyFlagEntity
{
    public long Id { get; set; }
    public Guid ForecasterId { get; set; }

    /// <summary>The model that judged it (the forecaster's active model then).</summary>
    public Guid ModelId { get; set; }

    public Guid DatasetId { get; set; }
    public required string Series { get; set; }
    public required string Target { get; set; }

    /// <summary>The dataset's frequency code, to format <see cref="Timestamp"/>.</summary>
    public required string Frequency { get; set; }

    public long Timestamp { get; set; }
    public double Actual { get; set; }
    public double Mean { get; set; }
    public double Lower { get; set; }
    public double Upper { get; set; }

    /// <summary>The interval's level, in percent.</summary>
    public double Level { get; set; }

    /// <summary>Distance from the mean in half-widths of the interval on its side; null where that half-width is 0.</summary>
    public double? Score { get; set; }

    public DateTimeOffset FlaggedAt { get; set; }
}
