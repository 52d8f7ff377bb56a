using System.Globalization;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Ledger;

/// <summary>
/// Live accuracy of recorded forecasts: per (model, target), figures over the scored records overall, per horizon step
/// and per time bucket of the target date, each beside the model's validation figures. MASE averages, over series,
/// each series' mean of |error| / scale, the scale recorded with each forecast (<see cref="MaseScaleText"/>).
/// </summary>
public static class LiveAccuracy
{
    public const string MaseScaleText = "Each forecast's MASE scale is the in-sample seasonal naive MAE (lag: the frequency's default season, as in validation) " +
        "of its series' stored observations up to the forecast's origin, computed when it was recorded; validation MASE scales by the training period alone, which models do not store.";

    private static readonly (string Key, double Level, Func<ForecastRecordEntity, double?> Lower, Func<ForecastRecordEntity, double?> Upper)[] Levels =
    [
        ("80", 80, r => r.Lower80, r => r.Upper80),
        ("95", 95, r => r.Lower95, r => r.Upper95),
    ];

    /// <summary>
    /// The figures of every (model, target) in <paramref name="records"/> (scored or not; only scored ones enter the figures).
    /// <paramref name="validation"/> gives each model's stored validation metrics; <paramref name="bucket"/> null leaves buckets out.
    /// </summary>
    public static IReadOnlyList<ModelAccuracy> Compute(IReadOnlyList<ForecastRecordEntity> records, IReadOnlyDictionary<Guid, ValidationFigures> validation,
        AccuracyBucket? bucket)
    {
        var result = new List<ModelAccuracy>();
        foreach (var group in records.OrderBy(r => r.Id).GroupBy(r => (r.ModelId, r.Target)))
        {
            var scored = group.Where(r => r.ScoredAt is not null).ToList();
            var valid = validation.GetValueOrDefault(group.Key.ModelId)?.Of(group.Key.Target);
            var perStep = scored.GroupBy(r => r.Step).OrderBy(g => g.Key)
                .Select(g => new StepAccuracy(g.Key, Figures(g.ToList()), valid?.PerHorizon.FirstOrDefault(h => h.Step == g.Key) is { } h
                    ? new AccuracyFigures(h.Count, h.Mae, h.Mase, h.Bias) : null))
                .ToList();
            var overallValidation = valid is null ? null : new AccuracyFigures(valid.Count, valid.Mae, valid.Mase, valid.Bias,
                Pick(valid.Coverage), Pick(valid.IntervalScore));
            var buckets = bucket is { } b
                ? scored.GroupBy(r => BucketStart(r, b)).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new BucketAccuracy(g.Key, Figures(g.ToList()), overallValidation)).ToList()
                : [];
            result.Add(new ModelAccuracy(group.Key.ModelId, group.Key.Target, group.Count(), scored.Count, Figures(scored), overallValidation, perStep, buckets));
        }
        return result;
    }

    /// <summary>The figures of scored records.</summary>
    public static AccuracyFigures Figures(IReadOnlyList<ForecastRecordEntity> scored)
    {
        if (scored.Count == 0) return new AccuracyFigures(0, null, null, null);
        double absolute = 0, signed = 0;
        foreach (var r in scored)
        {
            var error = r.Mean - r.Actual!.Value;
            absolute += Math.Abs(error);
            signed += error;
        }
        var seriesMase = scored.Where(r => r.MaseScale is > 0).GroupBy(r => r.Series)
            .Select(g => g.Average(r => Math.Abs(r.Mean - r.Actual!.Value) / r.MaseScale!.Value)).ToList();
        Dictionary<string, double>? coverage = null, score = null;
        foreach (var (key, level, lower, upper) in Levels)
        {
            var bounded = scored.Where(r => lower(r) is not null && upper(r) is not null).ToList();
            if (bounded.Count == 0) continue;
            (coverage ??= [])[key] = bounded.Count(r => r.Actual >= lower(r) && r.Actual <= upper(r)) / (double)bounded.Count;
            (score ??= [])[key] = bounded.Average(r => ForecastErrorAccumulator.WinklerScore(level, r.Actual!.Value, lower(r)!.Value, upper(r)!.Value));
        }
        return new AccuracyFigures(scored.Count, absolute / scored.Count, seriesMase.Count > 0 ? seriesMase.Average() : null, signed / scored.Count, coverage, score);
    }

    /// <summary>The validation's 80 and 95 figures (the levels recorded).</summary>
    private static Dictionary<string, double>? Pick(IReadOnlyDictionary<string, double>? byLevel)
    {
        if (byLevel is null) return null;
        var picked = Levels.Where(l => byLevel.ContainsKey(l.Key)).ToDictionary(l => l.Key, l => byLevel[l.Key]);
        return picked.Count > 0 ? picked : null;
    }

    private static string BucketStart(ForecastRecordEntity record, AccuracyBucket bucket)
    {
        Frequency.TryParse(record.Frequency, out var frequency);
        var day = frequency.ToDateTime(record.Timestamp).Date;
        var start = bucket switch
        {
            AccuracyBucket.Day => day,
            AccuracyBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateTime(day.Year, day.Month, 1),
        };
        return start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
