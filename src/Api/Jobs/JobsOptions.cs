using System.ComponentModel.DataAnnotations;
using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

/// <summary>The <c>Jobs</c> section: what this worker process executes, and how much at once.</summary>
public sealed class JobsOptions : IValidatableObject
{
    public const string Section = "Jobs";

    /// <summary>
    /// The queues this worker serves by name (default: all). Names, not enums, in the bound form: the binder drops an
    /// array item it cannot convert without a word, and a worker meant for one queue would then serve every queue.
    /// </summary>
    public string[]? Queues { get; set; }

    /// <summary>Concurrent jobs per served queue (default: one less than the cores, at least 1).</summary>
    [Range(1, 1024)]
    public int Workers { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// A statistical run or backtest whose estimated work is above this waits in the bulk queue, so it never holds the
    /// statistical slots that quick jobs need (<see cref="JobWork"/>: fits weighted by the kind's fit cost, light 1,
    /// heavy 300). Default 3,000: ten optimising fits, or three thousand closed-form ones (some 10–20 s of work).
    /// </summary>
    [Range(1, long.MaxValue)]
    public long BulkWork { get; set; } = 3_000;

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

    /// <summary>The queues served, parsed from <see cref="Queues"/>; a name that is not a queue refuses the start (<see cref="Validate"/>).</summary>
    public IReadOnlyList<WorkQueue> ServedQueues => Queues is { Length: > 0 }
        ? Queues.Select(name => TryParseQueue(name, out var queue) ? queue : (WorkQueue?)null).OfType<WorkQueue>().Distinct().ToList()
        : Enum.GetValues<WorkQueue>();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < (Queues?.Length ?? 0); i++)
            if (!TryParseQueue(Queues![i], out _))
                yield return new ValidationResult(
                    $"{Section}:Queues:{i} must be one of {string.Join(", ", WireNames.All(typeof(WorkQueue)))}; it is '{Queues[i]}'.", [nameof(Queues)]);
    }

    /// <summary>A queue's name as an operator may write it ("neural", " Neural ").</summary>
    private static bool TryParseQueue(string? name, out WorkQueue queue) => WireNames.TryParse(name?.Trim().ToLowerInvariant(), out queue);
}
