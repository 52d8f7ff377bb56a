using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Jobs;

/// <summary>A running job's estimated time left: the mean time per step done in this attempt, times the steps left.</summary>
public static class JobTimeLeft
{
    /// <summary>
    /// Seconds, rounded up; null until the attempt finished a step, or when the job is not running.
    /// <paramref name="resumedAt"/>: the steps an earlier attempt had done (this attempt's clock did not time them).
    /// </summary>
    public static double? Seconds(JobRecord row, int done, int total, int? resumedAt, DateTimeOffset now)
    {
        var timed = done - (resumedAt ?? 0);
        if (row.Status != JobStatus.Running || row.StartedAt is not { } started || timed <= 0 || total < done) return null;
        return Math.Ceiling(Math.Max(0, (now - started).TotalSeconds) / timed * (total - done));
    }
}
