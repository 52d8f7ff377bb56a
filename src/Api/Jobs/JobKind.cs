namespace Forecasting.Api.Jobs;

/// <summary>What a queued job executes, by the id of its row.</summary>
public enum JobKind
{
    TrainingRun,
    Backtest,
}
