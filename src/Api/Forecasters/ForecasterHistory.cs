using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Forecasters;

/// <summary>Changes a forecaster's active model and records why; the caller's SaveChanges writes both together.</summary>
public static class ForecasterHistory
{
    public static void Change(ForecastingDbContext db, ForecasterEntity forecaster, ForecasterChangeAction action, Guid? modelId, string reason, DateTimeOffset at)
    {
        db.ForecasterChanges.Add(new ForecasterChangeEntity
        {
            ForecasterId = forecaster.Id, Action = action, ModelId = modelId, PreviousModelId = forecaster.ActiveModelId, Reason = reason, At = at,
        });
        forecaster.ActiveModelId = modelId;
        forecaster.UpdatedAt = at;
    }

    /// <summary>
    /// The model a rollback returns to: the history replayed as a stack (create and promote push, rollback pops),
    /// so successive rollbacks walk back through the models served, skipping those already rolled back.
    /// </summary>
    public static Guid? RollbackTarget(IEnumerable<ForecasterChangeEntity> changes)
    {
        var stack = new List<Guid?>();
        foreach (var change in changes.OrderBy(c => c.Id))
        {
            if (change.Action == ForecasterChangeAction.Rollback) { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); }
            else stack.Add(change.ModelId);
        }
        return stack.Count >= 2 ? stack[^2] : null;
    }

    /// <summary>Records a schedule's promotion on the forecasters that follow it (tracked; saved with the decision).</summary>
    public static async Task FollowPromotionAsync(ForecastingDbContext db, Guid scheduleId, Guid modelId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var forecaster in await db.Forecasters.Where(f => f.ScheduleId == scheduleId).ToListAsync(cancellationToken))
            Change(db, forecaster, ForecasterChangeAction.Promote, modelId, $"Schedule {scheduleId}: {reason}", at);
    }
}
