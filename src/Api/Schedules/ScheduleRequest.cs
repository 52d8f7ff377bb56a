using Forecasting.Domain;

namespace Forecasting.Api.Schedules;

/// <summary>The body of POST /api/schedules: when to retrain (a cron in a time zone), what to train, and when to promote.</summary>
public sealed record ScheduleRequest
{
    /// <summary>Standard cron, 5 fields ("0 3 * * *": every day at 03:00) or 6 with seconds first ("0 0 3 * * *").</summary>
    public string? Cron { get; init; }

    /// <summary>The same body as POST /api/training-runs.</summary>
    public TrainingRunSpec? TrainingRun { get; init; }

    /// <summary>always, if_better (default) or never.</summary>
    public string? Promote { get; init; }

    /// <summary>IANA time zone id the cron is read in; default UTC.</summary>
    public string? TimeZone { get; init; }
}
