using Forecasting.Api.Audit;
using Forecasting.Api.Forecasters;
using Forecasting.Api.Http;
using Forecasting.Api.Models;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Schedules;

/// <summary>
/// A training run's success filter: as a scheduled run publishes its model, applies the schedule's
/// policy (always; never; if_better: only when the new validation MAE is lower than the active model's, or there is
/// no active model) and records the decision on the schedule (the last one) and on the run (the history). It only changes the tracked schedule: the executor's
/// SaveChanges writes the decision with the model and the run's success, so a client that sees the run succeeded
/// also sees the decision.
/// </summary>
public sealed class SchedulePromotion(TimeProvider clock, IAuditLog audit, ILogger<SchedulePromotion> logger) : ITrainingRunSucceededFilter
{
    public async Task OnSucceededAsync(ForecastingDbContext db, TrainingRunEntity run, ModelEntity model, CancellationToken cancellationToken)
    {
        if (run.ScheduleId is { } scheduleId) await DecideAsync(db, scheduleId, run.Id, model, cancellationToken);
    }

    public async Task<PromotionDecision?> DecideAsync(ForecastingDbContext db, Guid scheduleId, Guid runId, ModelEntity model, CancellationToken cancellationToken)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null) return null;
        var mae = ValidMae(model.MetricsJson);
        var previous = schedule.ActiveModelId is { } activeId
            ? await db.Models.AsNoTracking().Where(m => m.Id == activeId).Select(m => new { m.Id, m.MetricsJson }).FirstOrDefaultAsync(cancellationToken)
            : null;
        var previousMae = previous is null ? null : ValidMae(previous.MetricsJson);

        var (promoted, reason) = schedule.Promote switch
        {
            PromotePolicy.Always => (true, "Policy 'always' promotes every successful run."),
            PromotePolicy.Never => (false, "Policy 'never' keeps the active model."),
            _ when previous is null => (true, schedule.ActiveModelId is null
                ? "No active model yet." : "The active model no longer exists."),
            _ when mae is null => (false, "The new model has no validation MAE (no validation period) to compare; the active model is kept."),
            _ when previousMae is null => (true, "The active model has no validation MAE to compare; the new one, which has, is promoted."),
            _ when mae < previousMae => (true, $"Validation MAE {mae:G6} is lower than the active model's {previousMae:G6}."),
            _ => (false, $"Validation MAE {mae:G6} is not lower than the active model's {previousMae:G6}; the active model is kept."),
        };
        var decision = new PromotionDecision(runId, model.Id, schedule.Promote.ToWire(), promoted, mae, previous?.Id ?? schedule.ActiveModelId, previousMae, reason, clock.GetUtcNow());
        if (promoted)
        {
            schedule.ActiveModelId = model.Id;
            audit.Add(db, AuditActions.SchedulePromote, "schedule", scheduleId.ToString(), new { modelId = model.Id, runId, previousModelId = decision.PreviousModelId, reason });
            await ForecasterHistory.FollowPromotionAsync(db, scheduleId, model.Id, reason, decision.DecidedAt, cancellationToken);
        }
        var decisionJson = ApiJson.Serialize(decision);
        schedule.LastDecisionJson = decisionJson;
        // The run is tracked by the executor's context (FindAsync returns it), so the history row is saved with its success.
        if (await db.TrainingRuns.FindAsync([runId], cancellationToken) is { } run) run.PromotionDecisionJson = decisionJson;
        logger.LogInformation("Schedule {ScheduleId}: model {ModelId} {Outcome}. {Reason}", scheduleId, model.Id, promoted ? "promoted" : "not promoted", reason);
        return decision;
    }

    private static double? ValidMae(string metricsJson) => ApiJson.Deserialize<ModelMetrics>(metricsJson).Validation?.Mae;
}
