namespace Forecasting.Api.Jobs;

/// <summary>
/// How a job type appears to clients and in the audit trail: its title in problem details ("Training run"), its
/// path and OpenAPI tag, and its audit resource name, whose actions are "{resource}.create", ".cancel" and
/// ".withdraw" (a created job removed again because the job queue refused it; the request answered with an error).
/// </summary>
public sealed record JobResource(string Title, string Path, string Tag, string AuditResource)
{
    public string Created => $"{AuditResource}.create";
    public string Cancelled => $"{AuditResource}.cancel";
    public string Withdrawn => $"{AuditResource}.withdraw";
}
