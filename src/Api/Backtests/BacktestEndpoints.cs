using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Hosting;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
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

    private static async Task<Results<Accepted<BacktestQueued>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        BacktestRequest request, BacktestValidator validator, ForecastingDbContext db, IJobQueue queue, ModelKindRegistry kinds, DatasetStore datasets, TimeProvider clock,
        JobQuota quota, IAuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await db.Datasets.AnyAsync(d => d.Id == request.DatasetId, cancellationToken)) return Problems.NotFound("Dataset", request.DatasetId);
        var errors = await validator.ValidateAsync(request, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors, "The backtest request is invalid");
        var caller = ApiCaller.Of(http.User);
        if (await quota.RefuseAsync(caller, cancellationToken) is { } refused) return refused;
        var frame = await datasets.LoadAsync(request.DatasetId, null, null, cancellationToken);
        frame!.Frequency.TryParsePoint(request.From, out var from);
        frame.Frequency.TryParsePoint(request.To, out var to);
        var backtest = new BacktestEntity
        {
            Id = Guid.NewGuid(),
            DatasetId = request.DatasetId,
            Status = TrainingRunStatus.Queued,
            SpecJson = ApiJson.Serialize(request),
            Total = Backtester.Origins(frame.Frequency, from, to, request.Horizon).Count,
            CreatedByKeyId = caller.KeyId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Backtests.Add(backtest);
        audit.Add(db, AuditActions.BacktestCreate, "backtest", backtest.Id.ToString(), new { backtest.DatasetId, backtest.Total });
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await JobDispatch.QueueAsync(queue, db, JobKind.Backtest, backtest.Id, kinds.QueueOf(request.Model.Kind));
        }
        catch
        {
            db.Backtests.Remove(backtest);
            audit.Add(db, AuditActions.BacktestWithdraw, "backtest", backtest.Id.ToString(), new { reason = "the job queue refused it" });
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return TypedResults.Accepted($"/api/backtests/{backtest.Id}", new BacktestQueued(backtest.Id, backtest.Status));
    }

    private static async Task<Results<Ok<List<BacktestResponse>>, ValidationProblem>> ListAsync(
        ForecastingDbContext db, string? status, Guid? datasetId, int? skip, int? take, CancellationToken cancellationToken)
    {
        if (status is not null && !TrainingRunStatus.All.Contains(status))
            return Problems.Invalid([new FieldError("status", $"'{status}' is not a status; use one of {string.Join(", ", TrainingRunStatus.All)}.")]);
        var query = db.Backtests.AsNoTracking();
        if (status is not null) query = query.Where(b => b.Status == status);
        if (datasetId is not null) query = query.Where(b => b.DatasetId == datasetId);
        // The forecasts column is not read for the list.
        var rows = await query.OrderByDescending(b => b.CreatedAt)
            .Page(skip, take)
            .Select(b => new BacktestEntity
            {
                Id = b.Id, DatasetId = b.DatasetId, Status = b.Status, SpecJson = b.SpecJson, Done = b.Done, Total = b.Total, ResumedFrom = b.ResumedFrom, Error = b.Error,
                MetricsJson = b.MetricsJson, Attempts = b.Attempts, CancelRequested = b.CancelRequested,
                CreatedAt = b.CreatedAt, StartedAt = b.StartedAt, FinishedAt = b.FinishedAt,
            })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(b => BacktestResponse.From(b, withForecasts: false)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpRequest http, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var backtest = await db.Backtests.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (backtest is null) return Problems.NotFound("Backtest", id);
        if (!http.WantsCsv()) return TypedResults.Ok(BacktestResponse.From(backtest, withForecasts: true));
        return backtest.ForecastsJson is { } forecasts ? new BacktestCsvResult(forecasts)
            : Problems.Conflict("No forecasts yet", $"Backtest {id} is {backtest.Status}; its forecasts are written when it succeeds.");
    }

    private static async Task<Results<Accepted<BacktestResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, ForecastingDbContext db, IJobQueue queue, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken)
    {
        var backtest = await db.Backtests.FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (backtest is null) return Problems.NotFound("Backtest", id);
        // Saved by CancelAsync with the cancellation; a finished backtest saves nothing, and the row is dropped with the request.
        audit.Add(db, AuditActions.BacktestCancel, "backtest", id.ToString(), new { previousStatus = backtest.Status });
        if (!await JobCancellation.CancelAsync(backtest, db, queue, clock, cancellationToken))
            return Problems.Conflict("Backtest already finished", $"The backtest ended as '{backtest.Status}' and cannot be cancelled.");
        return TypedResults.Accepted($"/api/backtests/{id}", BacktestResponse.From(backtest, withForecasts: false));
    }
}
