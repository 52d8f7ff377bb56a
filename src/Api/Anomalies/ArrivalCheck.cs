using System.Globalization;
using System.Text.Json;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Covariates;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Anomalies;

/// <summary>
/// An append's <c>check</c>: the new observations judged on arrival by a forecaster's active model, one step ahead at
/// <c>level</c> (as <c>POST /api/models/{id}/anomalies</c> judges stored ones), the flagged ones recorded in the
/// ledger's <c>anomaly_flags</c> in the append's transaction.
/// </summary>
public static class ArrivalCheck
{
    public const double DefaultLevel = 99;

    /// <summary>The forecaster named by <c>check</c>, with the model it serves, or the problems (nothing is written then).</summary>
    internal static async Task<(ForecasterEntity? Forecaster, Guid ModelId)> ResolveAsync(
        ForecastingDbContext db, string name, double level, Guid datasetId, List<FieldError> errors, CancellationToken cancellationToken)
    {
        if (!(level > 0 && level < 100)) errors.Add(new FieldError("level", $"level is a percentage strictly between 0 and 100, e.g. 99; it is {level.ToString(CultureInfo.InvariantCulture)}."));
        var forecaster = await db.Forecasters.AsNoTracking().FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null)
        {
            errors.Add(new FieldError("check", $"There is no forecaster named '{name}'."));
            return (null, Guid.Empty);
        }
        if (forecaster.ActiveModelId is not { } modelId)
        {
            errors.Add(new FieldError("check", $"Forecaster '{name}' serves no model yet, so there is nothing to judge the observations with."));
            return (null, Guid.Empty);
        }
        var modelDataset = await db.Models.Where(m => m.Id == modelId).Select(m => m.DatasetId).FirstOrDefaultAsync(cancellationToken);
        if (modelDataset != datasetId)
            errors.Add(new FieldError("check", $"Forecaster '{name}' serves a model of another dataset ({modelDataset}); it can only judge that dataset's observations."));
        return (forecaster, modelId);
    }

    /// <summary>
    /// The appended observations (each series' rows after its stored end) judged one step ahead by the model, against the
    /// merged data; the problems, named, where the model cannot judge them (a series it was not trained on, too little history).
    /// </summary>
    internal static async Task<IReadOnlyList<AnomalyPoint>> JudgeAsync(ForecastService forecasts, ModelKindRegistry kinds, Limits cap, Guid modelId,
        DatasetFrame existing, DatasetFrame merged, double level, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var frequency = merged.Frequency;
        var stored = existing.Series.ToDictionary(s => s.Id, s => s.End(frequency), StringComparer.Ordinal);
        var firstNew = merged.Series
            .Select(s => (s.Id, First: stored.TryGetValue(s.Id, out var end) ? frequency.Add(end, 1) : s.Start, End: s.End(frequency)))
            .Where(s => s.First <= s.End).ToDictionary(s => s.Id, s => s.First, StringComparer.Ordinal);
        if (firstNew.Count == 0) return [];

        var loaded = await forecasts.LoadModelAsync(modelId, cancellationToken) ?? throw new InvalidOperationException($"Model '{modelId}' vanished.");
        var frame = GeneratedColumns.AddTo(merged, loaded.Spec.Calendar, loaded.Spec.Holidays);
        var request = new AnomalyRequest
        {
            From = frequency.Format(firstNew.Values.Min()),
            Series = JsonSerializer.SerializeToElement(firstNew.Keys.ToArray()),
            Level = level,
        };
        var checkErrors = new List<FieldError>();
        var plan = AnomalyDetector.Validate(loaded, frame, request, kinds, cap, checkErrors);
        IReadOnlyList<AnomalyPoint> points = [];
        if (plan is not null)
        {
            plan = plan with { Loaded = await forecasts.ForSeriesAsync(plan.Loaded, [.. firstNew.Keys], cancellationToken) };
            points = AnomalyDetector.Detect(plan, checkErrors, cancellationToken);
        }
        errors.AddRange(checkErrors.Select(e => e.Field.StartsWith("level", StringComparison.Ordinal)
            ? new FieldError("level", e.Message)
            : new FieldError("check", $"The forecaster's model cannot judge the new observations: {e.Field}: {e.Message}")));
        // The period starts at the earliest new row of any series; a series' older (stored) rows are not judged again.
        return [.. points.Where(p => Ordinal(p, frequency) >= firstNew[p.Series])];
    }

    /// <summary>The flagged points as ledger rows.</summary>
    internal static IEnumerable<AnomalyFlagEntity> Flags(IReadOnlyList<AnomalyPoint> points, ForecasterEntity forecaster, Guid modelId, Guid datasetId,
        Frequency frequency, double level, DateTimeOffset now)
    {
        var key = ForecastService.LevelKey(level);
        return points.Where(p => p.Anomaly[key]).Select(p => new AnomalyFlagEntity
        {
            ForecasterId = forecaster.Id, ModelId = modelId, DatasetId = datasetId, Series = p.Series, Target = p.Target, Frequency = frequency.Code,
            Timestamp = Ordinal(p, frequency), Actual = p.Actual, Mean = p.Mean, Lower = p.Lower[key], Upper = p.Upper[key], Level = level,
            Score = p.Score[key], FlaggedAt = now,
        });
    }

    private static long Ordinal(AnomalyPoint point, Frequency frequency) =>
        frequency.TryParsePoint(Convert.ToString(point.Timestamp, CultureInfo.InvariantCulture), out var ordinal)
            ? ordinal
            : throw new InvalidOperationException($"The timestamp '{point.Timestamp}' does not parse back.");
}
