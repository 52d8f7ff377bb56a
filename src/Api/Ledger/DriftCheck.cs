using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Ledger;

/// <summary>
/// Evaluates forecasters' drift rules after a scoring pass, in its transaction. Both statistics read the latest
/// <c>window</c> scored forecasts of the model the forecaster serves (ordered by target time, then step, then record),
/// each as its absolute error scaled by that model's validation MAE of the target: zᵢ = |forecast − actual| / MAE_valid.
/// errorRatio is their mean (live MAE over validation MAE with one target); cusum is the upper CUSUM
/// Sᵢ = max(0, Sᵢ₋₁ + zᵢ − 1 − k) from S₀ = 0 over the window, with allowance k = 0.5, read at its last forecast.
/// A rule fires when the statistic is above its threshold and was not already (one event per crossing).
/// </summary>
public static class DriftCheck
{
    /// <summary>The CUSUM allowance: half of a doubling of the error, so Sᵢ stays near 0 while live errors match validation.</summary>
    public const double CusumAllowance = 0.5;

    public static async Task<List<DriftEventEntity>> RunAsync(ForecastingDbContext db, IReadOnlyCollection<Guid> forecasterIds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var events = new List<DriftEventEntity>();
        if (forecasterIds.Count == 0) return events;
        var rules = await db.DriftRules.Where(r => forecasterIds.Contains(r.ForecasterId)).ToListAsync(cancellationToken);
        foreach (var rule in rules)
        {
            var modelId = await db.Forecasters.Where(f => f.Id == rule.ForecasterId).Select(f => f.ActiveModelId).FirstOrDefaultAsync(cancellationToken);
            if (modelId is not { } model) continue;
            var metrics = await db.Models.Where(m => m.Id == model).Select(m => m.MetricsJson).FirstOrDefaultAsync(cancellationToken);
            if (metrics is null) continue;
            // Firing for a model no longer served: the model served now starts un-fired (and a rollback does not inherit it).
            if (rule.FiringModelId is { } firing && firing != model) rule.FiringModelId = null;
            var statistic = await StatisticAsync(db, rule, model, ValidationFigures.Read(metrics), cancellationToken);
            if (statistic is not { } value) continue;
            if (value > rule.Threshold)
            {
                if (rule.FiringModelId == model) continue;
                rule.FiringModelId = model;
                var drift = new DriftEventEntity
                {
                    ForecasterId = rule.ForecasterId, ModelId = model, Rule = rule.Rule, Window = rule.Window, Threshold = rule.Threshold,
                    Statistic = value, OnDrift = rule.OnDrift, At = now,
                };
                db.DriftEvents.Add(drift);
                events.Add(drift);
            }
            else if (rule.FiringModelId == model) rule.FiringModelId = null;
            rule.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return events;
    }

    /// <summary>The rule's statistic over the model's latest scored forecasts; null until there are <c>window</c> of them, or without a validation MAE.</summary>
    private static async Task<double?> StatisticAsync(ForecastingDbContext db, DriftRuleEntity rule, Guid model, ValidationFigures validation,
        CancellationToken cancellationToken)
    {
        var latest = await db.ForecastRecords.AsNoTracking()
            .Where(r => r.ForecasterId == rule.ForecasterId && r.ModelId == model && r.ScoredAt != null)
            .OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Step).ThenByDescending(r => r.Id)
            .Take(rule.Window)
            .Select(r => new { r.Target, r.Mean, r.Actual })
            .ToListAsync(cancellationToken);
        if (latest.Count < rule.Window) return null;
        var scaled = new double[latest.Count];
        for (var i = 0; i < latest.Count; i++)
        {
            // Oldest first, as the CUSUM accumulates.
            var record = latest[latest.Count - 1 - i];
            if (validation.Of(record.Target)?.Mae is not (> 0 and var mae)) return null;
            scaled[i] = Math.Abs(record.Mean - record.Actual!.Value) / mae;
        }
        return Statistic(rule.Rule, scaled);
    }

    /// <summary>The statistic of scaled absolute errors, oldest first.</summary>
    public static double Statistic(DriftStatistic rule, IReadOnlyList<double> scaled)
    {
        if (rule == DriftStatistic.ErrorRatio) return scaled.Average();
        double sum = 0;
        foreach (var z in scaled) sum = Math.Max(0, sum + z - 1 - CusumAllowance);
        return sum;
    }
}
