using System.ComponentModel.DataAnnotations;

namespace Forecasting.Api.Checkpoints;

/// <summary>
/// How often unfinished jobs save a checkpoint (section <c>Checkpoints</c>). Checked at epoch ends (training) and
/// after each origin (backtests): a save happens when <see cref="EverySeconds"/> have passed since the last one
/// (or since the attempt began), or when <see cref="EveryEpochs"/> epochs have, whichever comes first.
/// </summary>
public sealed class CheckpointOptions
{
    public const string Section = "Checkpoints";

    /// <summary>Seconds between checkpoints; 0 saves after every epoch or origin (at most a week).</summary>
    [Range(0d, 604_800d)]
    public double EverySeconds { get; set; } = 10;

    /// <summary>Also save after this many epochs since the last checkpoint, however quick they were; 0 = by time only.</summary>
    [Range(0, int.MaxValue)]
    public int EveryEpochs { get; set; }
}
