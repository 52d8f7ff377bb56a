namespace Forecasting.Persistence.Entities;

/// <summary>A training job's row: the shared job fields, its epoch progress, and the model it produced.</summary>
public sealed class TrainingRunEntity : JobRecord
{
    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public double? TrainLoss { get; set; }
    public double? ValidMae { get; set; }

    /// <summary>The checkpoint's epoch the latest attempt resumed from; null when it started from scratch.</summary>
    public int? ResumedFromEpoch { get; set; }

    public Guid? ModelId { get; set; }
    public Guid? ScheduleId { get; set; }

    /// <summary>For a scheduled run that succeeded: its schedule's promotion decision as JSON, saved with the success.</summary>
    public string? PromotionDecisionJson { get; set; }
}
