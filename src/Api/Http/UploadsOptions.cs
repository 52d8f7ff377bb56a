using System.ComponentModel.DataAnnotations;

namespace Forecasting.Api.Http;

/// <summary>The <c>Uploads</c> section: the size of a dataset upload and how old a left-over upload buffer must be to be deleted.</summary>
public sealed class UploadsOptions
{
    public const string Section = "Uploads";

    /// <summary>Bytes in one dataset upload or append body (Kestrel, the form reader and the body cap all use it; default 200 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>
    /// At start-up, multipart buffer files older than this are deleted as a killed process's left-overs. At least a
    /// minute, so a buffer that a live request is still writing is never taken (default 60, at most a week).
    /// </summary>
    [Range(1d, 10_080d)]
    public double StaleBufferMinutes { get; set; } = 60;
}
