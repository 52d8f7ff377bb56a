namespace Forecasting.Persistence.Entities;

/// <summary>Which job a checkpoint belongs to.</summary>
public enum CheckpointKind
{
    TrainingRun,
    Backtest,
}
