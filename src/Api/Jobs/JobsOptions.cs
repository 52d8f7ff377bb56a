using System.ComponentModel.DataAnnotations;
using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

/// <summary>The <c>Jobs</c> section: what this worker process executes, and how much at once.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>The queues this worker serves (default: all).</summary>
    public WorkQueue[]? Queues { get; set; }

    /// <summary>Concurrent jobs per served queue (default: one less than the cores, at least 1).</summary>
    [Range(1, 1024)]
    public int Workers { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>The worker's name in logs and in the dashboard (default: host name and process id).</summary>
    [Required]
    public string WorkerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How often recurring schedules are checked: a cron fires no finer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SchedulePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A queued row no job has claimed this long after it was created lost its enqueue, and a worker queues it again
    /// (checked every half of it). Far above the milliseconds between saving a row and queueing it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00")]
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<WorkQueue> ServedQueues => Queues is { Length: > 0 } ? Queues.Distinct().ToList() : Enum.GetValues<WorkQueue>();
}
