using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Hosting;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Backtests;

public static class BacktestEndpoints
{
    public static RouteGroupBuilder MapBacktests(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/backtests").WithTags("Backtests");

        group.MapPost("/", QueueAsync).RequireScope(ApiScope.Train).RequireRateLimiting(RateLimits.Submissions)
            .WithSummary("Queue a rolling-origin backtest")
            .WithDescription("Forecasts every target of from..to at each step 1..horizon from the data strictly before it (an expanding window from trainFrom), " +
                "refitting every refitEvery origins (default: every origin for statistical kinds, once for the others). Validated first (400 naming each bad field); " +
                "poll the Location for status, progress, metrics and forecasts.");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read)
            .WithSummary("List backtests, newest first")
            .WithDescription("Without forecasts. Optional filters: status (queued, running, succeeded, failed, cancelled) and datasetId; paging with skip and take (at most 200).");
        group.MapGet("/{id:guid}", GetAsync).RequireScope(ApiScope.Read)
            .WithSummary("Status, progress, error, metrics and forecasts of a backtest")
            .WithDescription("metrics is a MetricSet in the data's units (overall, perHorizon, byTarget); forecasts lists every { origin, target, step, timestamp, predicted, actual }. With Accept: text/csv the forecasts alone, as a long table: unique_id, cutoff, ds, target, step, mean, y.");
        group.MapPost("/{id:guid}/cancel", CancelAsync).RequireScope(ApiScope.Train)
            .WithSummary("Cancel a queued or running backtest")
            .WithDescription("A queued backtest is removed from the queue; a running one is interrupted at its next origin. Nothing half-written is kept. 409 when it has already finished.");
        return group;
    }

    public static readonly JobResource Resource = new("Backtest", "/api/backtests", "backtest",
        AuditActions.BacktestCreate, AuditActions.BacktestCancel, AuditActions.BacktestWithdraw);

    private static async Task<Results<Accepted<BacktestQueued>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        BacktestRequest request, BacktestValidator validator, ForecastingDbContext db, JobSubmission submission, DatasetStore datasets,
        JobQuota quota, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await db.Datasets.AnyAsync(d => d.Id == request.DatasetId, cancellationToken)) return Problems.NotFound("Dataset", request.DatasetId);
        var errors = await validator.ValidateAsync(request, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors, "The backtest request is invalid");
        var caller = ApiCaller.Of(http.User);
        if (await quota.RefuseAsync(caller, cancellationToken) is { } refused) return refused;
        var frame = await datasets.LoadAsync(request.DatasetId, null, null, cancellationToken);
        if (frame is null) return Problems.NotFound("Dataset", request.DatasetId);
        frame.Frequency.TryParsePoint(request.From, out var from);
        frame.Frequency.TryParsePoint(request.To, out var to);
        var row = new BacktestEntity
        {
            DatasetId = request.DatasetId,
            Kind = request.Model.Kind,
            SpecJson = ApiJson.Serialize(request),
            Total = Backtester.Origins(frame.Frequency, from, to, request.Horizon).Count,
            CreatedByKeyId = caller.KeyId,
        };
        var backtest = await submission.SubmitAsync(JobKind.Backtest, row, Resource, new { row.DatasetId, row.Total }, cancellationToken);
        return backtest is null
            ? Problems.NotFound("Dataset", request.DatasetId)
            : TypedResults.Accepted($"{Resource.Path}/{backtest.Id}", new BacktestQueued(backtest.Id, backtest.Status.ToWire()));
    }

    private static async Task<Results<Ok<List<BacktestResponse>>, ValidationProblem>> ListAsync(
        ForecastingDbContext db, string? status, Guid? datasetId, int? skip, int? take, CancellationToken cancellationToken)
    {
        if (!JobEndpoints.TryList(db.Backtests.AsNoTracking(), status, datasetId, skip, take, out var page, out var problem)) return problem;
        // The forecasts column is not read for the list.
        var rows = await page
            .Select(b => new BacktestEntity
            {
                Id = b.Id, DatasetId = b.DatasetId, Kind = b.Kind, Queue = b.Queue, Status = b.Status, SpecJson = b.SpecJson, Done = b.Done, Total = b.Total,
                ResumedFrom = b.ResumedFrom, Error = b.Error, MetricsJson = b.MetricsJson, Attempts = b.Attempts, CancelRequested = b.CancelRequested,
                CreatedAt = b.CreatedAt, StartedAt = b.StartedAt, FinishedAt = b.FinishedAt,
            })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(b => BacktestResponse.From(b, withForecasts: false)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpRequest http, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var backtest = await JobEndpoints.FindAsync<BacktestEntity>(db, id, cancellationToken);
        if (backtest is null) return Problems.NotFound(Resource.Title, id);
        if (!http.WantsCsv()) return TypedResults.Ok(BacktestResponse.From(backtest, withForecasts: true));
        return backtest.ForecastsJson is { } forecasts ? new BacktestCsvResult(forecasts)
            : Problems.Conflict("No forecasts yet", $"Backtest {id} is {backtest.Status.ToWire()}; its forecasts are written when it succeeds.");
    }

    private static Task<Results<Accepted<BacktestResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, ForecastingDbContext db, IJobQueue queue, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken) =>
        JobEndpoints.CancelAsync<BacktestEntity, BacktestResponse>(
            id, Resource, b => BacktestResponse.From(b, withForecasts: false), db, queue, clock, audit, cancellationToken);
}
