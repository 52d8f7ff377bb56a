using Forecasting.Api.Anomalies;
using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Models;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/models").WithTags("Models");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read)
            .WithSummary("List trained models, newest first, or ranked (a leaderboard)")
            .WithDescription("Optional filters: datasetId, kind and target (models forecasting that column); paging with skip and take (at most 200). sort ranks by a metric, lowest first: validation.mae, validation.rmse, validation.mse, validation.mape, validation.wape, validation.mase, validation.intervalScore.80 (any level), or the same under test.; with target, that target's figures. Models without the figure come last. " +
                "A ranked list holds only models comparable with the newest one that matches the filters (the same dataset, series, validation period, targets and horizon: metrics.validationScope); GET /api/models/leaderboard gives every such group with its ranks. Every kind is scored on the same timestamps (docs/intervals.md).");
        group.MapGet("/leaderboard", LeaderboardAsync).RequireScope(ApiScope.Read)
            .WithSummary("Models ranked like with like, in groups of comparable validation figures")
            .WithDescription("The filters and sort of GET /api/models (sort defaults to validation.mae). One group per validation scope (dataset, series and each series' validation period; its series count, first and last validation timestamps), ranked targets and horizon; the group with the newest model first, each ranked on its own, lowest figure first (rank 1), models without the figure last with no rank.");
        group.MapGet("/{id:guid}", GetAsync).RequireScope(ApiScope.Read)
            .WithSummary("A model's request, validation and test metrics, history and parameter count");
        group.MapGet("/{id:guid}/series", SeriesAsync).RequireScope(ApiScope.Read)
            .WithSummary("What training did with each series: fitted, fallback or skipped, and why")
            .WithDescription("Optional filter: status (fitted, fallback, skipped); paging with skip and take (at most 200), ordered by series and target. The counts are over all of the model's series.");
        group.MapGet("/{id:guid}/weights", WeightsAsync).RequireScope(ApiScope.Read)
            .WithSummary("The trained weights as a safetensors file")
            .WithDescription("Neural models only: tensor names are documented per layer in docs/engine.md. Statistical models have no weight tensors; their parameters are in the model's details.");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireScope(ApiScope.Admin)
            .WithSummary("Delete a model")
            .WithDescription("409 while a forecaster serves it: promote another model to the forecaster, or delete the forecaster, first.");
        group.MapPost("/{id:guid}/forecast", ForecastAsync).RequireScope(ApiScope.Read).RequireRateLimiting(RateLimits.Forecasts)
            .WithSummary("Forecast with a trained model")
            .WithDescription("From an origin in the stored data (default: the series' end) or from posted recent observations; point forecasts for every step and target, with intervals at the requested levels. series: one id, a list, or absent for all; with Accept: text/csv the answer is a long table (unique_id, ds, target, mean, lo-80, hi-80, …) streamed series by series.")
            .Produces<ForecastResponse>()
            .Produces<ForecastBatchResponse>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/anomalies", AnomalyEndpoints.DetectAsync).RequireScope(ApiScope.Read).RequireRateLimiting(RateLimits.Forecasts)
            .WithSummary(AnomalyEndpoints.Summary).WithDescription(AnomalyEndpoints.Description)
            .Produces<AnomalyResponse>().Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<List<ModelResponse>>, ValidationProblem>> ListAsync(
        ForecastingDbContext db, Guid? datasetId, string? kind, string? target, string? sort, int? skip, int? take, CancellationToken cancellationToken)
    {
        var query = db.Models.AsNoTracking();
        if (datasetId is not null) query = query.Where(m => m.DatasetId == datasetId);
        if (kind is not null) query = query.Where(m => m.Kind == kind);
        if (sort is null && target is null)
        {
            var models = await query.OrderByDescending(m => m.CreatedAt).Page(skip, take).ToListAsync(cancellationToken);
            return TypedResults.Ok(models.Select(ModelResponse.From).ToList());
        }
        LeaderboardSort? order = null;
        if (sort is not null && !LeaderboardSort.TryParse(sort, out order))
            return Problems.Invalid([new FieldError("sort", $"'{sort}' is not a sortable metric; use validation.mae, validation.rmse, validation.mse, validation.mape, validation.wape, validation.mase or validation.intervalScore.80 (or test.…).")]);
        // Ranking reads every candidate's metrics; filter by datasetId to keep the candidates few.
        var candidates = (await query.OrderByDescending(m => m.CreatedAt).ToListAsync(cancellationToken)).Select(ModelResponse.From)
            .Where(m => target is null || m.Request.Targets.Contains(target)).ToList();
        // Ranked: only the newest candidate's comparable group, so no figure is ranked against one measured on other data.
        var ranked = order is null ? candidates
            : candidates.Count == 0 ? [] : Leaderboard.Rank(candidates, order, sort!, target).Groups[0].Models.Select(e => e.Model).ToList();
        return TypedResults.Ok(ranked.AsQueryable().Page(skip, take).ToList());
    }

    private static async Task<Results<Ok<Leaderboard>, ValidationProblem>> LeaderboardAsync(
        ForecastingDbContext db, Guid? datasetId, string? kind, string? target, string? sort, CancellationToken cancellationToken)
    {
        sort ??= "validation.mae";
        if (!LeaderboardSort.TryParse(sort, out var order))
            return Problems.Invalid([new FieldError("sort", $"'{sort}' is not a sortable metric; use validation.mae, validation.rmse, validation.mse, validation.mape, validation.wape, validation.mase or validation.intervalScore.80 (or test.…).")]);
        var query = db.Models.AsNoTracking();
        if (datasetId is not null) query = query.Where(m => m.DatasetId == datasetId);
        if (kind is not null) query = query.Where(m => m.Kind == kind);
        var candidates = (await query.OrderByDescending(m => m.CreatedAt).ToListAsync(cancellationToken)).Select(ModelResponse.From)
            .Where(m => target is null || m.Request.Targets.Contains(target)).ToList();
        return TypedResults.Ok(Leaderboard.Rank(candidates, order!, sort, target));
    }

    private static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> GetAsync(Guid id, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return model is null ? Problems.NotFound("Model", id)
            : TypedResults.Ok(ModelResponse.From(model) with { Series = await ModelSeriesSummary.ReadAsync(db, id, cancellationToken) });
    }

    private static async Task<Results<Ok<ModelSeriesPage>, ValidationProblem, ProblemHttpResult>> SeriesAsync(
        Guid id, ForecastingDbContext db, string? status, int? skip, int? take, CancellationToken cancellationToken)
    {
        SeriesStatus? wanted = null;
        if (status is not null)
        {
            if (!WireNames.TryParse<SeriesStatus>(status, out var parsed))
                return Problems.Invalid([new FieldError("status", $"'{status}' is not a series status; use one of {string.Join(", ", WireNames.All(typeof(SeriesStatus)))}.")]);
            wanted = parsed;
        }
        if (!await db.Models.AnyAsync(m => m.Id == id, cancellationToken)) return Problems.NotFound("Model", id);
        var summary = await ModelSeriesSummary.ReadAsync(db, id, cancellationToken);
        if (summary is null)
            return Problems.Conflict("No per-series outcomes", "This model was trained before per-series outcomes were recorded; every series of its request was fitted by its kind.");
        var rows = db.ModelSeries.AsNoTracking().Where(s => s.ModelId == id);
        if (wanted is { } w) rows = rows.Where(s => s.Status == w);
        var page = await rows.OrderBy(s => s.SeriesId).ThenBy(s => s.Target).Page(skip, take)
            .Select(s => new ModelSeriesResponse(s.SeriesId, s.Target, s.Status, s.Method, s.Reason)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ModelSeriesPage(summary.Fitted, summary.Fallback, summary.Skipped, page));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> WeightsAsync(Guid id, ForecastingDbContext db, ModelKindRegistry kinds, CancellationToken cancellationToken)
    {
        var model = await db.Models.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new { m.Kind, m.StateFormat, m.State }).FirstOrDefaultAsync(cancellationToken);
        if (model is null) return Problems.NotFound("Model", id);
        if (kinds.Find(model.Kind)?.Traits.HasWeightTensors != true)
            return Problems.Conflict("No weight tensors", $"A '{model.Kind}' model has no weight tensors; its fitted parameters are listed in GET /api/models/{id}.");
        return TypedResults.File(model.State, "application/octet-stream", $"model-{id:N}.safetensors");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ForecastingDbContext db, ForecastService forecasts, IAuditLog audit, CancellationToken cancellationToken)
    {
        int deleted;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A forecaster serving it would answer every forecast with "model not found" afterwards.
            var servedBy = await db.Forecasters.Where(f => f.ActiveModelId == id).Select(f => f.Name).ToListAsync(cancellationToken);
            if (servedBy.Count > 0)
                return Problems.Conflict("Model in use", $"Forecaster(s) {string.Join(", ", servedBy.Select(n => $"'{n}'"))} serve this model; promote another model to them or delete them first.");
            deleted = await db.Models.Where(m => m.Id == id).ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                audit.Add(db, AuditActions.ModelDelete, "model", id.ToString());
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        forecasts.Forget(id);
        return deleted == 0 ? Problems.NotFound("Model", id) : TypedResults.NoContent();
    }

    private static Task<IResult> ForecastAsync(
        Guid id, ForecastRequest? request, HttpRequest http, ForecastService forecasts, CancellationToken cancellationToken) =>
        forecasts.ForecastAsync(id, request ?? new ForecastRequest(), http.WantsCsv(), cancellationToken);
}
