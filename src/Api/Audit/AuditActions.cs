namespace Forecasting.Api.Audit;

/// <summary>The audited actions, "resource.verb". A forecaster's promote and rollback are recorded as model.promote and model.rollback.</summary>
public static class AuditActions
{
    public const string DatasetCreate = "dataset.create";
    public const string DatasetAppend = "dataset.append";
    public const string DatasetDelete = "dataset.delete";
    public const string TrainingRunCreate = "training_run.create";
    public const string TrainingRunCancel = "training_run.cancel";
    /// <summary>A created run removed again because the job queue refused it (the request answered with an error).</summary>
    public const string TrainingRunWithdraw = "training_run.withdraw";
    public const string BacktestCreate = "backtest.create";
    public const string BacktestCancel = "backtest.cancel";
    public const string BacktestWithdraw = "backtest.withdraw";
    public const string ScheduleCreate = "schedule.create";
    public const string ScheduleDelete = "schedule.delete";
    public const string SchedulePromote = "schedule.promote";
    public const string ModelDelete = "model.delete";
    public const string ModelPromote = "model.promote";
    public const string ModelRollback = "model.rollback";
    public const string ForecasterCreate = "forecaster.create";
    public const string ForecasterDelete = "forecaster.delete";
    public const string KeyCreate = "key.create";
    public const string KeyDelete = "key.delete";
}
