using Forecasting.Domain;

namespace Forecasting.Persistence.Entities;

/// <summary>
/// What a model's training did with one series and target: fitted by the kind, by the run's fallback, or skipped, and
/// why. Written with the model, in its transaction.
/// </summary>
public sealed class ModelSeriesEntity
{
    public Guid ModelId { get; set; }
    public required string SeriesId { get; set; }
    public required string Target { get; set; }
    public SeriesStatus Status { get; set; }

    /// <summary>The method that forecasts it (the kind, or the fallback); null when skipped.</summary>
    public string? Method { get; set; }

    /// <summary>Why the kind was not fitted; null when it was.</summary>
    public string? Reason { get; set; }

    /// <summary>
    /// The series and target's fit, in a model stored per series (the model's <c>StateFormat</c> names the layout); null when
    /// skipped, and in models stored whole (their fits are all in the model's state).
    /// </summary>
    public byte[]? State { get; set; }
}
