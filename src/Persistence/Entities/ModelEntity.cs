namespace Forecasting.Persistence.Entities;

/// <summary>A published (complete) trained model: its request, metrics, history and state bytes.</summary>
public sealed class ModelEntity
{
    public Guid Id { get; set; }
    /// <summary>The run that fitted the parameters: an updated model shares its parent's.</summary>
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

    /// <summary>
    /// The last observation of each series the model has seen (series id → time ordinal, as JSON): the dataset's ends
    /// when it was trained, or when it was updated. Null for models trained before it was recorded.
    /// </summary>
    public string? DataEndsJson { get; set; }

    /// <summary>The model an update (POST /api/models/{id}/update) derived this one from; null for a trained model.</summary>
    public Guid? ParentModelId { get; set; }

    /// <summary>An updated model's latest observation (formatted at the data's frequency); null for a trained model.</summary>
    public string? UpdatedThrough { get; set; }
}
