namespace Forecasting.Persistence.Entities;

/// <summary>A published (complete) trained model: its request, metrics, history and state bytes.</summary>
public sealed class ModelEntity
{
    public Guid Id { get; set; }
    public Guid TrainingRunId { get; set; }
    public Guid DatasetId { get; set; }
    public required string Kind { get; set; }
    public required string SpecJson { get; set; }

    /// <summary>{ validation, test } metric sets as JSON.</summary>
    public required string MetricsJson { get; set; }

    /// <summary>Per-epoch history as JSON.</summary>
    public required string HistoryJson { get; set; }

    /// <summary>Kind-specific facts (chosen orders, information criteria …) as JSON, or null.</summary>
    public string? DetailsJson { get; set; }

    public long ParameterCount { get; set; }
    public double TrainingSeconds { get; set; }

    /// <summary>Names the layout of <see cref="State"/> (e.g. "naive-json-v1", "safetensors").</summary>
    public required string StateFormat { get; set; }

    public required byte[] State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
