using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Hosting;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.TrainingRuns;

public static class TrainingRunEndpoints
{
    public static RouteGroupBuilder MapTrainingRuns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/training-runs").WithTags("Training runs");

        group.MapPost("/", QueueAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Submissions)
            .WithSummary("Queue a training run")
            .WithDescription("Validates the request against its dataset and model kind (400 naming each bad field), stores the run and queues it for a background worker. Poll the Location for status and progress.");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read)
            .WithSummary("List training runs, newest first")
            .WithDescription("Optional filters: status (queued, running, succeeded, failed, cancelled) and datasetId; paging with skip and take (at most 200).");
        group.MapGet("/{id:guid}", GetAsync).RequireScope(ApiScope.Read)
            .WithSummary("Status, progress, error and model of a training run");
        group.MapPost("/{id:guid}/cancel", CancelAsync).RequireScope(ApiScope.Train)
            .WithSummary("Cancel a queued or running training run")
            .WithDescription("A queued run is removed from the queue; a running one is interrupted at its next batch. Nothing half-written is kept. 409 when the run has already finished.");
        return group;
    }

    private static async Task<Results<Accepted<TrainingRunQueued>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        TrainingRunSpec request, TrainingRunValidator validator, ForecastingDbContext db, IJobQueue queue, ModelKindRegistry kinds, TimeProvider clock,
        JobQuota quota, IAuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = await validator.ValidateAsync(request, cancellationToken);
        if (errors.Count > 0)
            return await db.Datasets.AnyAsync(d => d.Id == request.DatasetId, cancellationToken)
                ? Problems.Invalid(errors, "The training request is invalid")
                : Problems.NotFound("Dataset", request.DatasetId);
        var caller = ApiCaller.Of(http.User);
        if (await quota.RefuseAsync(caller, cancellationToken) is { } refused) return refused;
        var run = await CreateAsync(request, db, queue, kinds, clock, audit, null, caller.KeyId, cancellationToken);
        return run is null
            ? Problems.NotFound("Dataset", request.DatasetId)
            : TypedResults.Accepted($"/api/training-runs/{run.Id}", new TrainingRunQueued(run.Id, run.Status));
    }

    /// <summary>
    /// Stores a queued run with its audit row and puts it on the queue; the row is removed again if queueing fails.
    /// Null when the dataset is gone: the check and the insert are one write transaction, so a concurrent dataset
    /// delete (also one write transaction) either sees this run and refuses, or happens first and this returns null.
    /// </summary>
    internal static async Task<TrainingRunEntity?> CreateAsync(
        TrainingRunSpec request, ForecastingDbContext db, IJobQueue queue, ModelKindRegistry kinds, TimeProvider clock, IAuditLog audit, Guid? scheduleId, Guid? createdByKeyId,
        CancellationToken cancellationToken)
    {
        var run = new TrainingRunEntity
        {
            Id = Guid.NewGuid(),
            DatasetId = request.DatasetId,
            Status = TrainingRunStatus.Queued,
            SpecJson = ApiJson.Serialize(request),
            Epochs = request.Training?.Epochs ?? 1,
            ScheduleId = scheduleId,
            CreatedByKeyId = createdByKeyId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await db.Datasets.AnyAsync(d => d.Id == request.DatasetId, cancellationToken)) return null;
            db.TrainingRuns.Add(run);
            audit.Add(db, AuditActions.TrainingRunCreate, "training_run", run.Id.ToString(), new { run.DatasetId, kind = request.Model.Kind, scheduleId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        try
        {
            await JobDispatch.QueueAsync(queue, db, JobKind.TrainingRun, run.Id, kinds.QueueOf(request.Model.Kind));
        }
        catch
        {
            db.TrainingRuns.Remove(run);
            audit.Add(db, AuditActions.TrainingRunWithdraw, "training_run", run.Id.ToString(), new { reason = "the job queue refused it" });
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return run;
    }

    private static async Task<Results<Ok<List<TrainingRunResponse>>, ValidationProblem>> ListAsync(
        ForecastingDbContext db, ModelKindRegistry kinds, string? status, Guid? datasetId, int? skip, int? take, CancellationToken cancellationToken)
    {
        if (status is not null && !TrainingRunStatus.All.Contains(status))
            return Problems.Invalid([new FieldError("status", $"'{status}' is not a status; use one of {string.Join(", ", TrainingRunStatus.All)}.")]);
        var query = db.TrainingRuns.AsNoTracking();
        if (status is not null) query = query.Where(r => r.Status == status);
        if (datasetId is not null) query = query.Where(r => r.DatasetId == datasetId);
        var runs = await query.OrderByDescending(r => r.CreatedAt)
            .Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(r => TrainingRunResponse.From(r, kinds)).ToList());
    }

    private static async Task<Results<Ok<TrainingRunResponse>, ProblemHttpResult>> GetAsync(Guid id, ForecastingDbContext db, ModelKindRegistry kinds, CancellationToken cancellationToken)
    {
        var run = await db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? Problems.NotFound("Training run", id) : TypedResults.Ok(TrainingRunResponse.From(run, kinds));
    }

    private static async Task<Results<Accepted<TrainingRunResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, ForecastingDbContext db, IJobQueue queue, ModelKindRegistry kinds, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken)
    {
        var run = await db.TrainingRuns.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return Problems.NotFound("Training run", id);
        // Saved by CancelAsync with the cancellation; a run that already finished saves nothing, and the row is dropped with the request.
        audit.Add(db, AuditActions.TrainingRunCancel, "training_run", id.ToString(), new { previousStatus = run.Status });
        if (!await JobCancellation.CancelAsync(run, db, queue, clock, cancellationToken))
            return Problems.Conflict("Training run already finished", $"The run ended as '{run.Status}' and cannot be cancelled.");
        return TypedResults.Accepted($"/api/training-runs/{id}", TrainingRunResponse.From(run, kinds));
    }
}
