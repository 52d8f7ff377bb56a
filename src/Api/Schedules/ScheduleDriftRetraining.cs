using Forecasting.Domain;
using Forecasting.Api.Ledger;
using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Schedules;

/// <summary>A drift rule's retrain: fires the forecaster's schedule as its trigger endpoint does (no quota: the service asks, not a caller).</summary>
public sealed class ScheduleDriftRetraining(ForecastingDbContext db, ScheduleFiring firing) : IDriftRetraining
{
    public async Task<Guid> RetrainAsync(Guid forecasterId, CancellationToken cancellationToken)
    {
        var scheduleId = await db.Forecasters.Where(f => f.Id == forecasterId).Select(f => f.ScheduleId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new UserInputException("The forecaster follows no schedule to fire.", "drift.onDrift");
        var run = await firing.FireAsync(scheduleId, null, cancellationToken)
            ?? throw new UserInputException($"The forecaster's schedule '{scheduleId}' no longer exists.", "drift.onDrift");
        return run.Id;
    }
}
