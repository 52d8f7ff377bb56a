namespace Forecasting.Persistence.Entities;

/// <summary>
/// One audited action (who did what to which resource, when). Append-only: the migration installs triggers
/// that make SQLite refuse to update or delete a row.
/// </summary>
public sealed class AuditEventEntity
{
    /// <summary>Ascending with insertion, so the log reads in order.</summary>
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The key that acted; null for the configuration admin key, open mode and the service itself.</summary>
    public Guid? KeyId { get; set; }

    /// <summary>Who acted, in words: a key's name and prefix, "configuration admin key", "open mode (loopback)" or "system".</summary>
    public required string Actor { get; set; }

    /// <summary>What was done, e.g. "dataset.delete", "training_run.cancel", "key.create".</summary>
    public required string Action { get; set; }

    /// <summary>The kind of resource: dataset, training_run, backtest, schedule, model, key.</summary>
    public required string Resource { get; set; }

    public required string ResourceId { get; set; }

    /// <summary>Optional JSON with what else matters (a name, a reason).</summary>
    public string? DetailsJson { get; set; }
}
