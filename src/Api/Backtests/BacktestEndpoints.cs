using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forecasting.Api.Backtests;

public static class BacktestEndpoints
{
    public static readonly JobResource Resource = new("Backtest", "/api/backtests", "Backtests", "backtest");

    public static RouteGroupBuilder MapBacktests(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapJobGroup(Resource);
        var clock = routes.ServiceProvider.GetRequiredService<TimeProvider>();
        group.MapJobSubmit(QueueAsync)
            .WithSummary("Queue a rolling-origin backtest")
            .WithDescription("Forecasts every target of from..to at each step 1..horizon from the data strictly before it (an expanding window from trainFrom), " +
                "refitting every refitEvery origins (default: every origin for statistical kinds, once for the others). Validated first (400 naming each bad field); " +
                "poll the Location for status, progress, metrics and forecasts.");
        // The forecasts column is not read for the list.
        group.MapJobList<BacktestEntity, BacktestResponse>(Resource, b => new BacktestEntity
            {
                Id = b.Id, DatasetId = b.DatasetId, Kind = b.Kind, Queue = b.Queue, Status = b.Status, SpecJson = b.SpecJson, Done = b.Done, Total = b.Total,
                ResumedFrom = b.ResumedFrom, Error = b.Error, MetricsJson = b.MetricsJson, Attempts = b.Attempts, CancelRequested = b.CancelRequested,
                CreatedAt = b.CreatedAt, StartedAt = b.StartedAt, FinishedAt = b.FinishedAt,
            }, b => BacktestResponse.From(b, withForecasts: false, clock.GetUtcNow()), "Without forecasts. ");
        group.MapJobGet<BacktestEntity>(Resource, (backtest, http) => Respond(backtest, http, clock))
            .WithSummary("Status, progress, error, metrics and forecasts of a backtest")
            .WithDescription("metrics is a MetricSet in the data's units (overall, perHorizon, byTarget); forecasts lists every { origin, target, step, timestamp, predicted, actual }. With Accept: text/csv the forecasts alone, as a long table: unique_id, cutoff, ds, target, step, mean, y.");
        group.MapJobCancel<BacktestEntity, BacktestResponse>(Resource, b => BacktestResponse.From(b, withForecasts: false, clock.GetUtcNow()), "its next origin");
        return group;
    }

    private static async Task<Results<Accepted<BacktestQueued>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        BacktestRequest request, BacktestValidator validator, JobSubmission submission, ModelKindRegistry kinds,
        JobQuota quota, HttpContext http, CancellationToken cancellationToken)
    {
        var origins = 0;
        return await JobEndpoints.SubmitAsync(Resource, JobKind.Backtest, request.DatasetId,
            async () =>
            {
                var validation = await validator.ValidateAsync(request, cancellationToken);
                origins = validation.Origins;
                return validation.Errors;
            },
            "The backtest request is invalid",
            keyId => Task.FromResult<BacktestEntity?>(new BacktestEntity
            {
                DatasetId = request.DatasetId,
                Kind = request.Model.Kind,
                SpecJson = ApiJson.Serialize(request),
                Total = origins,
                CreatedByKeyId = keyId,
            }),
            // Each series and target is fitted at each refit.
            () => new JobWork(request.Series, request.Targets.Count * Backtester.Refits(kinds.Get(request.Model.Kind), request, origins)),
            row => new { row.DatasetId, row.Total },
            backtest => new BacktestQueued(backtest.Id, backtest.Status.ToWire()), submission, quota, http, cancellationToken);
    }

    /// <summary>The backtest with its forecasts, or with Accept: text/csv its forecasts alone (409 until it has them).</summary>
    private static IResult Respond(BacktestEntity backtest, HttpRequest http, TimeProvider clock)
    {
        if (!http.WantsCsv()) return TypedResults.Ok(BacktestResponse.From(backtest, withForecasts: true, clock.GetUtcNow()));
        return backtest.ForecastsJson is { } forecasts ? new BacktestCsvResult(forecasts)
            : Problems.Conflict("No forecasts yet", $"Backtest {backtest.Id} is {backtest.Status.ToWire()}; its forecasts are written when it succeeds.");
    }
}
