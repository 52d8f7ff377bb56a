using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Hosting;
using Forecasting.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Models;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/models").WithTags("Models");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read)
            .WithSummary("List trained models, newest first")
            .WithDescription("Optional filters: datasetId and kind; paging with skip and take (at most 200).");
        group.MapGet("/{id:guid}", GetAsync).RequireScope(ApiScope.Read)
            .WithSummary("A model's request, validation and test metrics, history and parameter count");
        group.MapGet("/{id:guid}/weights", WeightsAsync).RequireScope(ApiScope.Read)
            .WithSummary("The trained weights as a safetensors file")
            .WithDescription("Neural models only: tensor names are documented per layer in docs/engine.md. Statistical models have no weight tensors; their parameters are in the model's details.");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireScope(ApiScope.Admin)
            .WithSummary("Delete a model");
        group.MapPost("/{id:guid}/forecast", ForecastAsync).RequireScope(ApiScope.Read).RequireRateLimiting(RateLimits.Forecasts)
            .WithSummary("Forecast with a trained model")
            .WithDescription("From an origin in the stored data (default: the series' end) or from posted recent observations; point forecasts for every step and target, with intervals at the requested levels.");
        return group;
    }

    private static async Task<Ok<List<ModelResponse>>> ListAsync(
        ForecastingDbContext db, Guid? datasetId, string? kind, int? skip, int? take, CancellationToken cancellationToken)
    {
        var query = db.Models.AsNoTracking();
        if (datasetId is not null) query = query.Where(m => m.DatasetId == datasetId);
        if (kind is not null) query = query.Where(m => m.Kind == kind);
        var models = await query.OrderByDescending(m => m.CreatedAt)
            .Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(models.Select(ModelResponse.From).ToList());
    }

    private static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> GetAsync(Guid id, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return model is null ? Problems.NotFound("Model", id) : TypedResults.Ok(ModelResponse.From(model));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> WeightsAsync(Guid id, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var model = await db.Models.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new { m.Kind, m.StateFormat, m.State }).FirstOrDefaultAsync(cancellationToken);
        if (model is null) return Problems.NotFound("Model", id);
        if (model.StateFormat != "safetensors")
            return Problems.Conflict("No weight tensors", $"A '{model.Kind}' model is statistical and has no weight tensors; its fitted parameters are listed in GET /api/models/{id}.");
        return TypedResults.File(model.State, "application/octet-stream", $"model-{id:N}.safetensors");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ForecastingDbContext db, ForecastService forecasts, IAuditLog audit, CancellationToken cancellationToken)
    {
        int deleted;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
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

    private static async Task<Results<Ok<ForecastResponse>, ProblemHttpResult, ValidationProblem>> ForecastAsync(
        Guid id, ForecastRequest? request, ForecastService forecasts, CancellationToken cancellationToken) =>
        await forecasts.ForecastAsync(id, request ?? new ForecastRequest(), cancellationToken);
}
