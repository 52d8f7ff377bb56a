using System.Linq.Expressions;
using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The routes every job resource shares, mapped on its group: its submission's scope and rate limit, the list
/// (filtered by status and dataset, newest first, paged), one row, and cancel.
/// </summary>
public static class JobEndpoints
{
    private static readonly Dictionary<string, JobStatus> Statuses = Enum.GetValues<JobStatus>().ToDictionary(s => s.ToWire());

    /// <summary>The resource's route group.</summary>
    public static RouteGroupBuilder MapJobGroup(this IEndpointRouteBuilder routes, JobResource resource) =>
        routes.MapGroup(resource.Path).WithTags(resource.Tag);

    /// <summary>POST /: a submission, with the scope and rate limit every job submission has.</summary>
    public static RouteHandlerBuilder MapJobSubmit(this RouteGroupBuilder group, Delegate submit) =>
        group.MapPost("/", submit).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Submissions);

    /// <summary>
    /// GET /: the rows, each as <paramref name="listed"/> reads it (leaving out large columns) and <paramref name="respond"/>
    /// shows it; <paramref name="note"/> starts the description.
    /// </summary>
    public static RouteHandlerBuilder MapJobList<TRecord, TResponse>(
        this RouteGroupBuilder group, JobResource resource, Expression<Func<TRecord, TRecord>> listed, Func<TRecord, TResponse> respond, string note = "")
        where TRecord : JobRecord =>
        group.MapGet("/", async Task<Results<Ok<List<TResponse>>, ValidationProblem>> (
                ForecastingDbContext db, string? status, Guid? datasetId, int? skip, int? take, CancellationToken cancellationToken) =>
            {
                var rows = db.Set<TRecord>().AsNoTracking();
                // The status is parsed here, at the edge: a 400 naming the statuses when it is not one.
                if (status is not null)
                {
                    if (!Statuses.TryGetValue(status, out var wanted))
                        return Problems.Invalid([new FieldError("status", $"'{status}' is not a status; use one of {string.Join(", ", Statuses.Keys)}.")]);
                    rows = rows.Where(r => r.Status == wanted);
                }
                if (datasetId is not null) rows = rows.Where(r => r.DatasetId == datasetId);
                var page = await rows.OrderByDescending(r => r.CreatedAt).Page(skip, take).Select(listed).ToListAsync(cancellationToken);
                return TypedResults.Ok(page.Select(respond).ToList());
            })
            .RequireScope(ApiScope.Read)
            .WithSummary($"List {resource.Tag.ToLowerInvariant()}, newest first")
            .WithDescription($"{note}Optional filters: status ({string.Join(", ", Statuses.Keys)}) and datasetId; paging with skip and take (at most 200).");

    /// <summary>
    /// POST /{id}/cancel (<see cref="JobCancellation"/>), with its audit row: 202 with the row, 404, or 409 when it has
    /// already finished. <paramref name="interruptedAt"/>: where a running one stops ("its next batch").
    /// </summary>
    public static RouteHandlerBuilder MapJobCancel<TRecord, TResponse>(
        this RouteGroupBuilder group, JobResource resource, Func<TRecord, TResponse> respond, string interruptedAt)
        where TRecord : JobRecord =>
        group.MapPost("/{id:guid}/cancel", async Task<Results<Accepted<TResponse>, ProblemHttpResult>> (
                Guid id, ForecastingDbContext db, IJobQueue queue, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken) =>
            {
                var row = await db.Set<TRecord>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
                if (row is null) return Problems.NotFound(resource.Title, id);
                // Saved by CancelAsync with the cancellation; a job that already finished saves nothing, and the row is dropped with the request.
                audit.Add(db, resource.Cancelled, resource.AuditResource, id.ToString(), new { previousStatus = row.Status.ToWire() });
                if (!await JobCancellation.CancelAsync(row, db, queue, clock, cancellationToken))
                    return Problems.Conflict($"{resource.Title} already finished",
                        $"The {resource.Title.ToLowerInvariant()} ended as '{row.Status.ToWire()}' and cannot be cancelled.");
                return TypedResults.Accepted($"{resource.Path}/{id}", respond(row));
            })
            .RequireScope(ApiScope.Train)
            .WithSummary($"Cancel a queued or running {resource.Title.ToLowerInvariant()}")
            .WithDescription($"A queued {resource.Title.ToLowerInvariant()} is removed from the queue; a running one is interrupted at {interruptedAt}. " +
                "Nothing half-written is kept. 409 when it has already finished.");

    /// <summary>
    /// The POST every job resource answers: 404 when the dataset is not there, 400 naming each bad field
    /// (<paramref name="validate"/>), 429 past the caller's job cap; then the row <paramref name="build"/> makes of the
    /// valid request (null: the dataset went meanwhile) is submitted (<see cref="JobSubmission"/>, its <paramref name="work"/>
    /// choosing the queue) and 202 points at it.
    /// </summary>
    public static async Task<Results<Accepted<TQueued>, ValidationProblem, ProblemHttpResult>> SubmitAsync<TRecord, TQueued>(
        JobResource resource, JobKind kind, Guid datasetId, Func<Task<IReadOnlyList<FieldError>>> validate, string invalidTitle,
        Func<Guid?, Task<TRecord?>> build, Func<JobWork> work, Func<TRecord, object> auditDetails, Func<TRecord, TQueued> queued,
        JobSubmission submission, JobQuota quota, HttpContext http, CancellationToken cancellationToken) where TRecord : JobRecord
    {
        if (!await submission.DatasetExistsAsync(datasetId, cancellationToken)) return Problems.NotFound("Dataset", datasetId);
        var errors = await validate();
        if (errors.Count > 0) return Problems.Invalid(errors, invalidTitle);
        var caller = ApiCaller.Of(http.User);
        if (await quota.RefuseAsync(caller, cancellationToken) is { } refused) return refused;
        var row = await build(caller.KeyId);
        var submitted = row is null ? null : await submission.SubmitAsync(kind, row, work(), resource, auditDetails(row), cancellationToken);
        return submitted is null
            ? Problems.NotFound("Dataset", datasetId)
            : TypedResults.Accepted($"{resource.Path}/{submitted.Id}", queued(submitted));
    }

    /// <summary>GET /{id}: the row as <paramref name="respond"/> shows it (which may read the request's Accept), or 404.</summary>
    public static RouteHandlerBuilder MapJobGet<TRecord>(this RouteGroupBuilder group, JobResource resource, Func<TRecord, HttpRequest, IResult> respond)
        where TRecord : JobRecord =>
        group.MapGet("/{id:guid}", async (Guid id, HttpRequest http, ForecastingDbContext db, CancellationToken cancellationToken) =>
                await db.Set<TRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } row
                    ? respond(row, http)
                    : Problems.NotFound(resource.Title, id))
            .RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
