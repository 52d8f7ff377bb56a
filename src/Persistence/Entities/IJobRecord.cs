namespace Forecasting.Persistence.Entities;

/// <summary>The fields every background job's row has: the record of truth for its lifecycle.</summary>
public interface IJobRecord
{
    Guid Id { get; }
    string Status { get; set; }
    string? Error { get; set; }
    int Attempts { get; set; }
    string? DispatchId { get; set; }
    bool CancelRequested { get; set; }
    DateTimeOffset? StartedAt { get; set; }
    DateTimeOffset? FinishedAt { get; set; }
}
