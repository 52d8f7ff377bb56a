using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>
/// The "Limits" section: per-key request rates, the cap on a key's queued and running jobs, the work one training
/// run may ask for, and the body size of non-upload requests (uploads keep Uploads:MaxBytes).
/// </summary>
public sealed class WorkLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>POST /api/models/{id}/forecast, per key (default 20 a second).</summary>
    public RateWindow Forecasts { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromSeconds(1) };

    /// <summary>Dataset uploads and appends, per key (default 30 a minute).</summary>
    public RateWindow Uploads { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Training runs, backtests, schedules and schedule triggers submitted, per key (default 30 a minute).</summary>
    public RateWindow Submissions { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Queued plus running training runs and backtests one stored key may have (keys mode; default 10).</summary>
    public int MaxActiveJobsPerKey { get; set; } = 10;

    /// <summary>Request bodies other than dataset uploads and appends (default 4 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024;
}

/// <summary>A fixed window: at most PermitLimit requests per Window (e.g. "00:00:01").</summary>
public sealed class RateWindow
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}

public sealed class WorkLimitsOptionsValidator : IValidateOptions<WorkLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkLimitsOptions options)
    {
        var errors = new List<string>();
        foreach (var (key, rate) in new[] { ("Forecasts", options.Forecasts), ("Uploads", options.Uploads), ("Submissions", options.Submissions) })
        {
            if (rate.PermitLimit < 1) errors.Add($"Limits:{key}:PermitLimit must be at least 1.");
            if (rate.Window <= TimeSpan.Zero) errors.Add($"Limits:{key}:Window must be a positive time span, e.g. 00:00:01.");
        }
        if (options.MaxActiveJobsPerKey < 1) errors.Add("Limits:MaxActiveJobsPerKey must be at least 1.");
        if (options.MaxRequestBodyBytes < 1024) errors.Add("Limits:MaxRequestBodyBytes must be at least 1024.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
