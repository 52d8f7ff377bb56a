namespace Forecasting.Api.Hosting;

/// <summary>
/// What this process does (<c>--role api|worker|all</c>, default all): the API serves HTTP and queues
/// jobs; the worker executes them. One SQLite file takes one worker process (Quartz refuses to cluster on SQLite).
/// </summary>
public sealed record ServiceRole(bool ServesApi, bool RunsJobs)
{
    public static ServiceRole From(IConfiguration configuration) => (configuration["role"] ?? "all").ToLowerInvariant() switch
    {
        "api" => new ServiceRole(true, false),
        "worker" => new ServiceRole(false, true),
        "all" => new ServiceRole(true, true),
        var other => throw new ArgumentException($"Unknown --role '{other}': use api, worker or all."),
    };
}
