namespace Forecasting.Api.Audit;

/// <summary>
/// The audited actions, "resource.verb". A forecaster's promote and rollback are recorded as model.promote and
/// model.rollback; a job resource's create, cancel and withdraw are named by its <c>JobResource</c>.
/// </summary>
public static class AuditActions
{
    public const string DatasetCreate = "dataset.create";
    public const string DatasetAppend = "dataset.append";
    public const string DatasetDelete = "dataset.delete";
    public const string ScheduleCreate = "schedule.create";
    public const string ScheduleDelete = "schedule.delete";
    public const string SchedulePromote = "schedule.promote";
    public const string ModelDelete = "model.delete";
    public const string ModelUpdate = "model.update";
    public const string ModelPromote = "model.promote";
    public const string ModelRollback = "model.rollback";
    public const string ForecasterCreate = "forecaster.create";
    public const string ForecasterDelete = "forecaster.delete";
    public const string ForecasterDrift = "forecaster.drift";
    public const string KeyCreate = "key.create";
    public const string KeyDelete = "key.delete";
}
