using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.Jobs;

/// <summary>
/// A job's work as estimated before it is queued: the fits it makes per series, for the series it names (none: every
/// series of its dataset, which the submission counts). Weighted by the kind's <see cref="FitCost"/>, it decides whether
/// a statistical job waits in the bulk queue (<see cref="JobsOptions.BulkWork"/>).
/// </summary>
public sealed record JobWork(IReadOnlyList<string>? Series, long FitsPerSeries)
{
    /// <summary>
    /// What one fit weighs. Measured per series of 152 daily training points (docs/jobs.md): light kinds 3–11 ms, heavy ones
    /// 0.8–2.3 s (auto_sarima on a weekly season of 52, a minute); the ratio is 140–730, so a heavy fit weighs 300.
    /// </summary>
    public static long Weight(FitCost cost) => cost switch
    {
        FitCost.Light => 1,
        FitCost.Heavy => 300,
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, null),
    };

    /// <summary>A run fits each series and target once, and again at each backtest calibration window.</summary>
    public static JobWork Of(TrainingRunSpec spec) => new(spec.Series, RunFitsPerSeries(spec));

    /// <summary>The fits a run makes per series: one per target, times one more than its backtest calibration windows.</summary>
    public static long RunFitsPerSeries(TrainingRunSpec spec) =>
        (spec.Targets?.Count ?? 0) * (spec.Intervals is { Calibration: CalibrationSource.Backtest } intervals ? 1 + intervals.EffectiveWindows : 1);

    /// <summary>The queue of a job of <paramref name="fits"/> fits: its kind's, or bulk for a statistical one above <paramref name="bulkWork"/>.</summary>
    public static WorkQueue QueueFor(ModelKindTraits traits, long fits, long bulkWork) =>
        traits.Queue == WorkQueue.Statistical && fits * Weight(traits.FitCost) > bulkWork ? WorkQueue.Bulk : traits.Queue;
}
