namespace Forecasting.Api.Deployment;

/// <summary>
/// What this process does (<c>--role api|worker|all</c>, default all): the API serves HTTP and queues jobs;
/// the worker executes them and serves only /health. Separate API and worker processes share their queue
/// through PostgreSQL (<c>Database:Provider=postgres</c>); with SQLite the queue lives in one process.
/// </summary>
public sealed record ServiceRole(bool ServesApi, bool RunsJobs)
{
    public static ServiceRole From(IConfiguration configuration) => (configuration["role"] ?? "all").ToLowerInvariant() switch
    {
        "api" => new ServiceRole(true, false),
        "worker" => new ServiceRole(false, true),
        "all" => new ServiceRole(true, true),
        var other => throw new StartupRefusedException($"Unknown --role '{other}': use api, worker or all."),
    };
}
