using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Schedules;

public static class ScheduleEndpoints
{
    public const int RecentRuns = 10;

    public static RouteGroupBuilder MapSchedules(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/schedules").WithTags("Schedules");

        group.MapPost("/", CreateAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Submissions)
            .WithSummary("Retrain on a cron schedule")
            .WithDescription("cron is standard cron, 5 fields (\"0 3 * * *\": every day at 03:00) or 6 with seconds first (\"0 0 3 * * *\"), read in timeZone (an IANA id, default UTC); " +
                "trainingRun is the body of POST /api/training-runs; promote is always, if_better (default: only when the new validation MAE is lower) or never. " +
                "Each firing queues a training run on the newest data: a date split keeps trainFrom and moves its other bounds forward by the steps the data grew. " +
                "Validated first (400 naming cron, timeZone, promote or trainingRun.<field>).");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read)
            .WithSummary("List schedules, newest first")
            .WithDescription("With each one's next fire time; without recent runs.");
        group.MapGet("/{id:guid}", GetAsync).RequireScope(ApiScope.Read)
            .WithSummary("A schedule: its request, active model, last and next firing, last promotion decision and last 10 runs (each with its decision)");
        group.MapGet("/{id:guid}/decisions", DecisionsAsync).RequireScope(ApiScope.Read)
            .WithSummary("A schedule's promotion decisions, newest first")
            .WithDescription("One per scheduled run that succeeded: promoted or not, the new and the active model's validation MAE, and why. Paged with skip and take (default 50, at most 200).");
        group.MapPost("/{id:guid}/trigger", TriggerAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Submissions)
            .WithSummary("Fire a schedule now")
            .WithDescription("Queues its training run at once, as its cron would (the cron schedule is unchanged). 202 with the run's Location.");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireScope(ApiScope.Admin)
            .WithSummary("Delete a schedule")
            .WithDescription("Removes its recurring job and the schedule; its training runs and models stay. 409 while a forecaster follows it.");
        return group;
    }

    private static async Task<Results<Created<ScheduleResponse>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        ScheduleRequest request, ScheduleValidator validator, ForecastingDbContext db, DatasetStore datasets, IRecurringSchedules triggers, TimeProvider clock,
        IAuditLog audit, CancellationToken cancellationToken)
    {
        if (request.TrainingRun is { } asked && !await db.Datasets.AnyAsync(d => d.Id == asked.DatasetId, cancellationToken))
            return Problems.NotFound("Dataset", asked.DatasetId);
        var frame = request.TrainingRun is { } training ? await datasets.LoadAsync(training.DatasetId, null, null, cancellationToken) : null;
        var errors = validator.Validate(request, frame);
        if (errors.Count > 0) return Problems.Invalid(errors, "The schedule request is invalid");
        var spec = request.TrainingRun!;
        var timeZone = request.TimeZone ?? "UTC";
        ScheduleValidator.TryFindTimeZone(timeZone, out var zone);
        var schedule = new ScheduleEntity
        {
            Id = Guid.NewGuid(),
            Cron = request.Cron!.Trim(),
            TimeZone = timeZone,
            DatasetId = spec.DatasetId,
            SpecJson = ApiJson.Serialize(spec),
            // Validated above.
            Promote = ScheduleValidator.ParsePromote(request.Promote)!.Value,
            DataEnd = SplitShift.DataEnd(frame!, spec),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Schedules.Add(schedule);
        audit.Add(db, AuditActions.ScheduleCreate, "schedule", schedule.Id.ToString(), new { schedule.Cron, schedule.TimeZone, promote = schedule.Promote.ToWire(), spec.DatasetId });
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            triggers.Register(schedule.Id, schedule.Cron, zone);
        }
        catch
        {
            db.Schedules.Remove(schedule);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return TypedResults.Created($"/api/schedules/{schedule.Id}", ScheduleResponse.From(schedule, NextFire(schedule, clock), []));
    }

    private static async Task<Ok<List<ScheduleResponse>>> ListAsync(ForecastingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var schedules = await db.Schedules.AsNoTracking().OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        var list = new List<ScheduleResponse>(schedules.Count);
        foreach (var schedule in schedules)
            list.Add(ScheduleResponse.From(schedule, NextFire(schedule, clock), null));
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ForecastingDbContext db, ModelKindRegistry kinds, TimeProvider clock, CancellationToken cancellationToken)
    {
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null) return Problems.NotFound("Schedule", id);
        var runs = await db.TrainingRuns.AsNoTracking().Where(r => r.ScheduleId == id)
            .OrderByDescending(r => r.CreatedAt).Take(RecentRuns).ToListAsync(cancellationToken);
        return TypedResults.Ok(ScheduleResponse.From(schedule, NextFire(schedule, clock), runs.Select(r => TrainingRunResponse.From(r, kinds, clock.GetUtcNow())).ToList()));
    }

    private static async Task<Results<Ok<List<PromotionDecision>>, ProblemHttpResult>> DecisionsAsync(
        Guid id, int? skip, int? take, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Schedules.AnyAsync(s => s.Id == id, cancellationToken)) return Problems.NotFound("Schedule", id);
        var decisions = await db.TrainingRuns.AsNoTracking().Where(r => r.ScheduleId == id && r.PromotionDecisionJson != null)
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.CreatedAt).Page(skip, take)
            .Select(r => r.PromotionDecisionJson!).ToListAsync(cancellationToken);
        return TypedResults.Ok(decisions.Select(ApiJson.Deserialize<PromotionDecision>).ToList());
    }

    private static async Task<Results<Accepted<TrainingRunQueued>, ProblemHttpResult>> TriggerAsync(
        Guid id, ScheduleFiring firing, JobQuota quota, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = ApiCaller.Of(http.User);
        if (await quota.RefuseAsync(caller, cancellationToken) is { } refused) return refused;
        var run = await firing.FireAsync(id, caller.KeyId, cancellationToken);
        return run is null ? Problems.NotFound("Schedule", id) : TypedResults.Accepted($"/api/training-runs/{run.Id}", new TrainingRunQueued(run.Id, run.Status.ToWire()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ForecastingDbContext db, IRecurringSchedules triggers, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!await db.Schedules.AnyAsync(s => s.Id == id, cancellationToken)) return Problems.NotFound("Schedule", id);
        // A forecaster following it would silently stop receiving its promotions.
        var followedBy = await db.Forecasters.Where(f => f.ScheduleId == id).Select(f => f.Name).ToListAsync(cancellationToken);
        if (followedBy.Count > 0)
            return Problems.Conflict("Schedule in use", $"Forecaster(s) {string.Join(", ", followedBy.Select(n => $"'{n}'"))} follow this schedule; delete them first.");
        // The trigger goes first: a schedule row without a trigger never fires, a trigger without its row would fire into nothing.
        triggers.Remove(id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Schedules.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        audit.Add(db, AuditActions.ScheduleDelete, "schedule", id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The cron's next time after now (the engine fires within its poll interval of it).</summary>
    private static DateTimeOffset? NextFire(ScheduleEntity schedule, TimeProvider clock)
    {
        ScheduleValidator.TryFindTimeZone(schedule.TimeZone, out var zone);
        return CronSchedule.NextFire(schedule.Cron, zone, clock.GetUtcNow());
    }
}
