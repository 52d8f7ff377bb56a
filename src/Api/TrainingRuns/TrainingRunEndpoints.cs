using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Hosting;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
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

    public static readonly JobResource Resource = new("Training run", "/api/training-runs", "training_run",
        AuditActions.TrainingRunCreate, AuditActions.TrainingRunCancel, AuditActions.TrainingRunWithdraw);

    private static async Task<Results<Accepted<TrainingRunQueued>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        TrainingRunSpec request, TrainingRunValidator validator, ForecastingDbContext db, JobSubmission submission,
        JobQuota quota, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = await validator.ValidateAsync(request, cancellationToken);
        if (errors.Count > 0)
            return await db.Datasets.AnyAsync(d => d.Id == request.DatasetId, cancellationToken)
                ? Problems.Invalid(errors, "The training request is invalid")
                : Problems.NotFound("Dataset", request.DatasetId);
        var caller = ApiCaller.Of(http.User);
        if (await quota.RefuseAsync(caller, cancellationToken) is { } refused) return refused;
        var run = await SubmitAsync(request, submission, null, caller.KeyId, cancellationToken);
        return run is null
            ? Problems.NotFound("Dataset", request.DatasetId)
            : TypedResults.Accepted($"{Resource.Path}/{run.Id}", new TrainingRunQueued(run.Id, run.Status.ToWire()));
    }

    /// <summary>Submits a validated run (<see cref="JobSubmission"/>); null when the dataset is gone.</summary>
    internal static Task<TrainingRunEntity?> SubmitAsync(
        TrainingRunSpec request, JobSubmission submission, Guid? scheduleId, Guid? createdByKeyId, CancellationToken cancellationToken)
    {
        var run = new TrainingRunEntity
        {
            DatasetId = request.DatasetId,
            Kind = request.Model.Kind,
            SpecJson = ApiJson.Serialize(request),
            Epochs = request.Training?.Epochs ?? 1,
            ScheduleId = scheduleId,
            CreatedByKeyId = createdByKeyId,
        };
        return submission.SubmitAsync(JobKind.TrainingRun, run, Resource, new { run.DatasetId, kind = run.Kind, scheduleId }, cancellationToken);
    }

    private static async Task<Results<Ok<List<TrainingRunResponse>>, ValidationProblem>> ListAsync(
        ForecastingDbContext db, string? status, Guid? datasetId, int? skip, int? take, CancellationToken cancellationToken)
    {
        if (!JobEndpoints.TryList(db.TrainingRuns.AsNoTracking(), status, datasetId, skip, take, out var page, out var problem)) return problem;
        var runs = await page.ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(TrainingRunResponse.From).ToList());
    }

    private static async Task<Results<Ok<TrainingRunResponse>, ProblemHttpResult>> GetAsync(Guid id, ForecastingDbContext db, CancellationToken cancellationToken) =>
        await JobEndpoints.FindAsync<TrainingRunEntity>(db, id, cancellationToken) is { } run
            ? TypedResults.Ok(TrainingRunResponse.From(run))
            : Problems.NotFound(Resource.Title, id);

    private static Task<Results<Accepted<TrainingRunResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, ForecastingDbContext db, IJobQueue queue, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken) =>
        JobEndpoints.CancelAsync<TrainingRunEntity, TrainingRunResponse>(id, Resource, TrainingRunResponse.From, db, queue, clock, audit, cancellationToken);
}
