using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Ledger;

/// <summary>Validates and stores a forecaster's drift rule (tracked; the caller saves).</summary>
public static class DriftRules
{
    public const int MaxWindow = 10_000;

    /// <summary>
    /// Checks the declaration: every field set, retrain only with a schedule to fire, and a served model with a validation
    /// MAE for each target (the statistics are scaled by it). Errors name the field under <paramref name="prefix"/>.
    /// </summary>
    public static async Task<List<FieldError>> CheckAsync(ForecastingDbContext db, DriftRuleRequest request, string prefix, Guid? scheduleId, Guid? activeModelId,
        CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (request.Rule is null) errors.Add(new FieldError($"{prefix}.rule", "rule is required: errorRatio (live MAE over validation MAE) or cusum (on errors scaled by the validation MAE)."));
        if (request.Window is not { } window || window < 1 || window > MaxWindow)
            errors.Add(new FieldError($"{prefix}.window", $"window is required: how many of the latest scored forecasts the rule reads, 1 to {MaxWindow}."));
        if (request.Threshold is not { } threshold || !(threshold > 0))
            errors.Add(new FieldError($"{prefix}.threshold", "threshold is required and positive: the rule fires when its statistic goes above it (e.g. 1.5 for errorRatio, 5 for cusum)."));
        if (request.OnDrift is null) errors.Add(new FieldError($"{prefix}.onDrift", "onDrift is required: notify (record the event) or retrain (also fire the forecaster's schedule)."));
        else if (request.OnDrift == DriftAction.Retrain && scheduleId is null)
            errors.Add(new FieldError($"{prefix}.onDrift", "onDrift retrain fires the forecaster's schedule, and this forecaster follows none; create it with scheduleId, or use notify."));
        if (activeModelId is { } modelId && await db.Models.AsNoTracking().Where(m => m.Id == modelId).Select(m => new { m.MetricsJson, m.SpecJson }).FirstOrDefaultAsync(cancellationToken) is { } model)
        {
            var validation = ValidationFigures.Read(model.MetricsJson);
            var targets = ApiJson.Deserialize<TrainingRunSpec>(model.SpecJson).Targets;
            if (targets.Any(t => validation.Of(t)?.Mae is not > 0))
                errors.Add(new FieldError($"{prefix}.rule", $"The model served, '{modelId}', has no validation MAE (it was trained without a validation period), and drift statistics are scaled by it; serve a model trained with one."));
        }
        return errors;
    }

    /// <summary>Sets (or replaces) the forecaster's rule from a checked request; a replaced rule starts below its threshold.</summary>
    public static async Task<DriftRuleEntity> SetAsync(ForecastingDbContext db, Guid forecasterId, DriftRuleRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = await db.DriftRules.FirstOrDefaultAsync(r => r.ForecasterId == forecasterId, cancellationToken);
        if (rule is null) db.DriftRules.Add(rule = new DriftRuleEntity { ForecasterId = forecasterId });
        rule.Rule = request.Rule!.Value;
        rule.Window = request.Window!.Value;
        rule.Threshold = request.Threshold!.Value;
        rule.OnDrift = request.OnDrift!.Value;
        rule.FiringModelId = null;
        rule.UpdatedAt = now;
        return rule;
    }

    public static DriftRule? Describe(DriftRuleEntity? rule, Guid? activeModelId) =>
        rule is null ? null : new DriftRule(rule.Rule, rule.Window, rule.Threshold, rule.OnDrift, rule.FiringModelId is not null && rule.FiringModelId == activeModelId);
}
