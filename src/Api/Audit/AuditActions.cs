namespace Forecasting.Api.Audit;

/// <summary>The audited actions, "resource.verb". Promote and rollback are for the forecaster routes to record.</summary>
public static class AuditActions
{
    public const string DatasetCreate = "dataset.create";
    public const string DatasetAppend = "dataset.append";
    public const string DatasetDelete = "dataset.delete";
    public const string TrainingRunCreate = "training_run.create";
    public const string TrainingRunCancel = "training_run.cancel";
    public const string BacktestCreate = "backtest.create";
    public const string BacktestCancel = "backtest.cancel";
    public const string ScheduleCreate = "schedule.create";
    public const string ScheduleDelete = "schedule.delete";
    public const string SchedulePromote = "schedule.promote";
    public const string ModelDelete = "model.delete";
    public const string ModelPromote = "model.promote";
    public const string ModelRollback = "model.rollback";
    public const string KeyCreate = "key.create";
    public const string KeyDelete = "key.delete";
}
