namespace Forecasting.Api.Jobs;

/// <summary>
/// How a job type appears to clients and in the audit trail: its title in problem details ("Training run"), its
/// path and OpenAPI tag, its audit resource name and its create, cancel and withdraw audit actions.
/// </summary>
public sealed record JobResource(string Title, string Path, string Tag, string AuditResource, string Created, string Cancelled, string Withdrawn);
