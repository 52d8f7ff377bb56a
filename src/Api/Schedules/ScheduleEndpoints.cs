using Forecasting.Api.Hosting;
using Forecasting.Api.TrainingRuns;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Schedules;

public static class ScheduleEndpoints
{
    public const int RecentRuns = 10;

    public static RouteGroupBuilder MapSchedules(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/schedules").WithTags("Schedules");

        group.MapPost("/", CreateAsync)
            .WithSummary("Retrain on a cron schedule")
            .WithDescription("cron is a Quartz cron expression, seconds first (\"0 0 3 * * ?\": every day at 03:00) read in timeZone (an IANA id, default UTC); " +
                "trainingRun is the body of POST /api/training-runs; promote is always, if_better (default: only when the new validation MAE is lower) or never. " +
                "Each firing queues a training run on the newest data: a date split keeps trainFrom and moves its other bounds forward by the steps the data grew. " +
                "Validated first (400 naming cron, timeZone, promote or trainingRun.<field>).");
        group.MapGet("/", ListAsync)
            .WithSummary("List schedules, newest first")
            .WithDescription("With each one's next fire time; without recent runs.");
        group.MapGet("/{id:guid}", GetAsync)
            .WithSummary("A schedule: its request, active model, last and next firing, last promotion decision and last 10 runs");
        group.MapPost("/{id:guid}/trigger", TriggerAsync)
            .WithSummary("Fire a schedule now")
            .WithDescription("Queues its training run at once, as its cron would (the cron schedule is unchanged). 202 with the run's Location.");
        group.MapDelete("/{id:guid}", DeleteAsync)
            .WithSummary("Delete a schedule")
            .WithDescription("Removes its Quartz trigger and the schedule; its training runs and models stay.");
        return group;
    }

    private static async Task<Results<Created<ScheduleResponse>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        ScheduleRequest request, ScheduleValidator validator, ForecastingDbContext db, DatasetStore datasets, ScheduleTriggers triggers, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (request.TrainingRun is { } asked && !await db.Datasets.AnyAsync(d => d.Id == asked.DatasetId, cancellationToken))
            return Problems.NotFound("Dataset", asked.DatasetId);
        var errors = await validator.ValidateAsync(request, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors, "The schedule request is invalid");
        var spec = request.TrainingRun!;
        var frame = await datasets.LoadAsync(spec.DatasetId, spec.Series, null, cancellationToken);
        var timeZone = request.TimeZone ?? "UTC";
        ScheduleValidator.TryFindTimeZone(timeZone, out var zone);
        var schedule = new ScheduleEntity
        {
            Id = Guid.NewGuid(),
            Cron = request.Cron!.Trim(),
            TimeZone = timeZone,
            SpecJson = ApiJson.Serialize(spec),
            Promote = request.Promote ?? PromotePolicy.IfBetter,
            DataEnd = SplitShift.DataEnd(frame!, spec),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await triggers.RegisterAsync(schedule.Id, schedule.Cron, zone, CancellationToken.None);
        }
        catch
        {
            db.Schedules.Remove(schedule);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        var next = await triggers.NextFireAsync(schedule.Id, cancellationToken);
        return TypedResults.Created($"/api/schedules/{schedule.Id}", ScheduleResponse.From(schedule, next, []));
    }

    private static async Task<Ok<List<ScheduleResponse>>> ListAsync(ForecastingDbContext db, ScheduleTriggers triggers, CancellationToken cancellationToken)
    {
        var schedules = await db.Schedules.AsNoTracking().OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        var list = new List<ScheduleResponse>(schedules.Count);
        foreach (var schedule in schedules)
            list.Add(ScheduleResponse.From(schedule, await triggers.NextFireAsync(schedule.Id, cancellationToken), null));
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ForecastingDbContext db, ScheduleTriggers triggers, CancellationToken cancellationToken)
    {
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null) return Problems.NotFound("Schedule", id);
        var runs = await db.TrainingRuns.AsNoTracking().Where(r => r.ScheduleId == id)
            .OrderByDescending(r => r.CreatedAt).Take(RecentRuns).ToListAsync(cancellationToken);
        return TypedResults.Ok(ScheduleResponse.From(schedule, await triggers.NextFireAsync(id, cancellationToken), runs));
    }

    private static async Task<Results<Accepted<TrainingRunQueued>, ProblemHttpResult>> TriggerAsync(
        Guid id, ScheduleFiring firing, CancellationToken cancellationToken)
    {
        var run = await firing.FireAsync(id, cancellationToken);
        return run is null ? Problems.NotFound("Schedule", id) : TypedResults.Accepted($"/api/training-runs/{run.Id}", new TrainingRunQueued(run.Id, run.Status));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ForecastingDbContext db, ScheduleTriggers triggers, CancellationToken cancellationToken)
    {
        if (!await db.Schedules.AnyAsync(s => s.Id == id, cancellationToken)) return Problems.NotFound("Schedule", id);
        // The trigger goes first: a schedule row without a trigger never fires, a trigger without its row would fire into nothing.
        await triggers.RemoveAsync(id, cancellationToken);
        await db.Schedules.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
