namespace Forecasting.Api.Jobs;

/// <summary>The one map from <see cref="JobKind"/> to its executor, built from the registered <see cref="IJobExecutor"/>s.</summary>
public sealed class JobExecutors(IEnumerable<IJobExecutor> executors)
{
    private readonly Dictionary<JobKind, IJobExecutor> _byKind = executors.ToDictionary(e => e.Kind);

    public IJobExecutor this[JobKind kind] =>
        _byKind.TryGetValue(kind, out var executor) ? executor : throw new InvalidOperationException($"No executor is registered for {kind} jobs.");

    public IEnumerable<IJobExecutor> All => _byKind.Values;
}
