namespace Forecasting.Persistence.Entities;

public static class JobStatusExtensions
{
    /// <summary>Succeeded, failed or cancelled: nothing runs it again.</summary>
    public static bool IsFinished(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}
