using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Ledger;

/// <summary>
/// Error figures of scored forecasts (live) or of the model's validation period: MAE, MASE, bias (mean of forecast −
/// actual), and per level ("80", "95") the share of actuals inside the interval and the mean interval (Winkler) score.
/// </summary>
public sealed record AccuracyFigures(int Count, double? Mae, double? Mase, double? Bias,
    IReadOnlyDictionary<string, double>? Coverage = null, IReadOnlyDictionary<string, double>? IntervalScore = null);

/// <summary>Live figures at one horizon step, beside the model's validation figures at that step.</summary>
public sealed record StepAccuracy(int Step, AccuracyFigures Live, AccuracyFigures? Validation);

/// <summary>Live figures of the forecasts whose targets fall in one bucket (starting at <see cref="Start"/>), beside the model's overall validation figures.</summary>
public sealed record BucketAccuracy(string Start, AccuracyFigures Live, AccuracyFigures? Validation);

/// <summary>One model's recorded forecasts of one target: counts, live figures overall, per step and per bucket, each beside validation.</summary>
public sealed record ModelAccuracy(Guid ModelId, string Target, int Recorded, int Scored, AccuracyFigures Live, AccuracyFigures? Validation,
    IReadOnlyList<StepAccuracy> PerStep, IReadOnlyList<BucketAccuracy> Buckets);

/// <summary>The answer of GET …/accuracy: one entry per (model, target) recorded, in the order first recorded.</summary>
public sealed record LedgerAccuracy(string? Bucket, string MaseScale, IReadOnlyList<ModelAccuracy> Models);

/// <summary>One recorded forecast value, scored or not.</summary>
public sealed record LedgerRecord(long Id, Guid ModelId, string Series, string Target, object Origin, int Step, object Timestamp, double Mean,
    double? Lower80, double? Upper80, double? Lower95, double? Upper95, DateTimeOffset RecordedAt, double? Actual, DateTimeOffset? ScoredAt);

/// <summary>
/// A forecaster's drift rule: <c>rule</c> (errorRatio or cusum, docs/production.md), <c>window</c> (scored forecasts read),
/// <c>threshold</c>, and <c>onDrift</c> (notify: record the event; retrain: also fire the forecaster's schedule).
/// </summary>
public sealed record DriftRuleRequest
{
    public DriftStatistic? Rule { get; init; }
    public int? Window { get; init; }
    public double? Threshold { get; init; }
    public DriftAction? OnDrift { get; init; }
}

/// <summary>A declared drift rule, and whether it is above its threshold for the model served now.</summary>
public sealed record DriftRule(DriftStatistic Rule, int Window, double Threshold, DriftAction OnDrift, bool Firing);

/// <summary>A drift rule's crossing, and the training run it queued (onDrift retrain) or why none could be.</summary>
public sealed record DriftEvent(long Id, Guid ModelId, DriftStatistic Rule, int Window, double Threshold, double Statistic, DriftAction OnDrift,
    DateTimeOffset At, Guid? RetrainRunId, string? RetrainError)
{
    public static DriftEvent From(DriftEventEntity e) =>
        new(e.Id, e.ModelId, e.Rule, e.Window, e.Threshold, e.Statistic, e.OnDrift, e.At, e.RetrainRunId, e.RetrainError);
}

/// <summary>An observation flagged on arrival: the one-step forecast's mean and bounds at <see cref="Level"/>, and its score (above 1: outside).</summary>
public sealed record AnomalyFlag(long Id, Guid ModelId, string Series, string Target, object Timestamp, double Actual, double Mean, double Lower,
    double Upper, double Level, double? Score, DateTimeOffset FlaggedAt)
{
    public static AnomalyFlag From(AnomalyFlagEntity f)
    {
        Domain.Frequency.TryParse(f.Frequency, out var frequency);
        return new(f.Id, f.ModelId, f.Series, f.Target, Forecasts.ForecastService.Timestamp(frequency, f.Timestamp), f.Actual, f.Mean, f.Lower, f.Upper,
            f.Level, f.Score, f.FlaggedAt);
    }
}
