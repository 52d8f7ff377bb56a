using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Http;

/// <summary>
/// Caps on what one request may ask of the service (configuration section "Limits"): sizes of uploads and requests,
/// per-key request rates and the cap on a key's active jobs. Each refusal names the cap and its configuration key, so
/// an operator can raise it knowingly.
/// </summary>
public sealed class Limits
{
    public const string Section = "Limits";

    /// <summary>Columns in one uploaded dataset (besides the time and series columns).</summary>
    [Range(1, 1_000_000)]
    public int MaxColumns { get; set; } = 1_000;

    /// <summary>Characters in a column name, series id or category label.</summary>
    [Range(1, 1_000_000)]
    public int MaxLabelLength { get; set; } = 200;

    /// <summary>Steps one training run, backtest or forecast may forecast ahead.</summary>
    [Range(1, 1_000_000)]
    public int MaxHorizon { get; set; } = 1_000;

    /// <summary>The horizon may be at most this many times the observations of the longest series used.</summary>
    [Range(0.01, 1_000)]
    public double MaxHorizonToData { get; set; } = 1.0;

    /// <summary>Epochs × training windows of one neural training run (the work of one run).</summary>
    [Range(1, long.MaxValue)]
    public long MaxWorkPerRun { get; set; } = 200_000_000;

    /// <summary>Refits of one training run's backtest calibration (windows × series × targets).</summary>
    [Range(1, long.MaxValue)]
    public long MaxCalibrationRefits { get; set; } = 100_000;

    /// <summary>Distinct interval levels in one forecast request.</summary>
    [Range(1, 1_000)]
    public int MaxLevels { get; set; } = 20;

    /// <summary>Observations one anomaly request judges (observations of the period × series × targets), each one forecast.</summary>
    [Range(1, 100_000_000)]
    public int MaxAnomalyObservations { get; set; } = 100_000;

    /// <summary>POST /api/models/{id}/forecast, per key (default 20 a second).</summary>
    [ValidateObjectMembers]
    public RateWindow Forecasts { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromSeconds(1) };

    /// <summary>Dataset uploads and appends, per key (default 30 a minute).</summary>
    [ValidateObjectMembers]
    public RateWindow Uploads { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Training runs, backtests, schedules and schedule triggers submitted, per key (default 30 a minute).</summary>
    [ValidateObjectMembers]
    public RateWindow Submissions { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Queued plus running training runs and backtests one stored key may have (keys mode; default 10).</summary>
    [Range(1, int.MaxValue)]
    public int MaxActiveJobsPerKey { get; set; } = 10;

    /// <summary>Request bodies other than dataset uploads and appends (those have Uploads:MaxBytes; default 4 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024;
}
