using System.Text.RegularExpressions;
using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Api.Ledger;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Forecasters;

/// <summary>Stable names for models: forecast by name, promote, roll back, each change recorded with its reason.</summary>
public static partial class ForecasterEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();

    public static RouteGroupBuilder MapForecasters(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/forecasters").WithTags("Forecasters");
        group.MapPost("/", CreateAsync).RequireScope(ApiScope.Train)
            .WithSummary("Name a model, or a schedule's promoted model")
            .WithDescription("name (letters, digits, '.', '-', '_'; at most 100) and either modelId (serve that model) or scheduleId (serve the schedule's active model and follow its promotions); optional drift rule (see PUT …/drift). 201 with the forecaster.");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Read).WithSummary("List forecasters by name");
        group.MapGet("/{name}", GetAsync).RequireScope(ApiScope.Read).WithSummary("A forecaster: its active model and the history of changes (create, promote, rollback), newest first");
        group.MapPost("/{name}/forecast", ForecastAsync).RequireScope(ApiScope.Read).RequireRateLimiting(RateLimits.Forecasts)
            .WithSummary("Forecast with the forecaster's active model")
            .WithDescription("The body and answers of POST /api/models/{id}/forecast, JSON or text/csv. Every forecast is recorded in the ledger before it is answered (GET /api/forecasters/{name}/accuracy, …/forecasts).");
        group.MapPost("/{name}/promote", PromoteAsync).RequireScope(ApiScope.Train).WithSummary("Serve another model (recorded with the reason)");
        group.MapPost("/{name}/rollback", RollbackAsync).RequireScope(ApiScope.Train)
            .WithSummary("Return to the model served before the current one")
            .WithDescription("A forecaster following a schedule also sets the schedule's active model, so if_better compares against the model rolled back to. 409 when there is no earlier model.");
        group.MapPut("/{name}/drift", SetDriftAsync).RequireScope(ApiScope.Train)
            .WithSummary("Set (or replace) the forecaster's drift rule")
            .WithDescription("{ rule: errorRatio | cusum, window, threshold, onDrift: notify | retrain } (docs/production.md); retrain needs a forecaster that follows a schedule, and the model served needs a validation MAE. A replaced rule starts below its threshold.");
        group.MapDelete("/{name}/drift", DeleteDriftAsync).RequireScope(ApiScope.Train).WithSummary("Remove the forecaster's drift rule (its events stay)");
        group.MapDelete("/{name}", DeleteAsync).RequireScope(ApiScope.Admin).WithSummary("Delete a forecaster (its models stay)");
        return group;
    }

    private static async Task<Results<Created<ForecasterResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateForecasterRequest request, ForecastingDbContext db, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (request.Name is null || !NamePattern().IsMatch(request.Name))
            errors.Add(new FieldError("name", "name is 1–100 letters, digits, '.', '-' or '_', starting with a letter or digit."));
        if (request.ModelId is null == request.ScheduleId is null)
            errors.Add(new FieldError(request.ModelId is null ? "modelId" : "scheduleId", "Give either modelId (the model to serve) or scheduleId (serve its promoted model), not both."));
        if (request.Reason is { Length: > 2000 }) errors.Add(new FieldError("reason", "reason is at most 2000 characters."));
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (request.ModelId is { } modelId && !await db.Models.AnyAsync(m => m.Id == modelId, cancellationToken))
            return Problems.Invalid([new FieldError("modelId", $"Model '{modelId}' does not exist.")]);
        Guid? active = request.ModelId;
        if (request.ScheduleId is { } scheduleId)
        {
            var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
            if (schedule is null) return Problems.Invalid([new FieldError("scheduleId", $"Schedule '{scheduleId}' does not exist.")]);
            active = schedule.ActiveModelId;
        }
        if (request.Drift is { } driftRequest && await DriftRules.CheckAsync(db, driftRequest, "drift", request.ScheduleId, active, cancellationToken) is { Count: > 0 } driftErrors)
            return Problems.Invalid(driftErrors);
        if (await db.Forecasters.AnyAsync(f => f.Name == request.Name, cancellationToken))
            return Problems.Conflict("Name taken", $"A forecaster named '{request.Name}' exists; promote a model to it, or delete it first.");

        var now = clock.GetUtcNow();
        var forecaster = new ForecasterEntity { Id = Guid.NewGuid(), Name = request.Name!, ScheduleId = request.ScheduleId, CreatedAt = now, UpdatedAt = now };
        db.Forecasters.Add(forecaster);
        ForecasterHistory.Change(db, forecaster, ForecasterChangeAction.Create, active, request.Reason ?? (request.ScheduleId is null
            ? "Created from a model." : $"Created to follow schedule {request.ScheduleId}{(active is null ? " (no model promoted yet)" : "")}."), now);
        DriftRuleEntity? drift = null;
        if (request.Drift is not null) drift = await DriftRules.SetAsync(db, forecaster.Id, request.Drift, now, cancellationToken);
        audit.Add(db, AuditActions.ForecasterCreate, "forecaster", forecaster.Name, new { modelId = active, scheduleId = request.ScheduleId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created the name between the check above and this insert (the unique index refused it).
            if (!await NameTakenAsync(db, request.Name!)) throw;
            return Problems.Conflict("Name taken", $"A forecaster named '{request.Name}' exists; promote a model to it, or delete it first.");
        }
        var changes = await db.ForecasterChanges.AsNoTracking().Where(c => c.ForecasterId == forecaster.Id).ToListAsync(cancellationToken);
        return TypedResults.Created($"/api/forecasters/{forecaster.Name}", ForecasterResponse.From(forecaster, changes, drift));
    }

    private static async Task<bool> NameTakenAsync(ForecastingDbContext db, string name)
    {
        db.ChangeTracker.Clear();
        return await db.Forecasters.AnyAsync(f => f.Name == name);
    }

    private static async Task<Ok<List<ForecasterResponse>>> ListAsync(ForecastingDbContext db, int? skip, int? take, CancellationToken cancellationToken)
    {
        var forecasters = await db.Forecasters.AsNoTracking().OrderBy(f => f.Name).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(forecasters.Select(f => ForecasterResponse.From(f, [])).ToList());
    }

    private static async Task<Results<Ok<ForecasterResponse>, ProblemHttpResult>> GetAsync(string name, ForecastingDbContext db, CancellationToken cancellationToken)
    {
        var forecaster = await db.Forecasters.AsNoTracking().FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        return TypedResults.Ok(await ResponseAsync(db, forecaster, cancellationToken));
    }

    private static async Task<Results<Ok<ForecasterResponse>, ValidationProblem, ProblemHttpResult>> SetDriftAsync(
        string name, DriftRuleRequest request, ForecastingDbContext db, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken)
    {
        var forecaster = await db.Forecasters.AsNoTracking().FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        var errors = await DriftRules.CheckAsync(db, request, "drift", forecaster.ScheduleId, forecaster.ActiveModelId, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors);
        await DriftRules.SetAsync(db, forecaster.Id, request, clock.GetUtcNow(), cancellationToken);
        audit.Add(db, AuditActions.ForecasterDrift, "forecaster", forecaster.Name, request);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, forecaster, cancellationToken));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteDriftAsync(string name, ForecastingDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        var forecaster = await db.Forecasters.AsNoTracking().FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        if (await db.DriftRules.FirstOrDefaultAsync(r => r.ForecasterId == forecaster.Id, cancellationToken) is not { } rule)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No drift rule", detail: $"Forecaster '{name}' has no drift rule.");
        db.DriftRules.Remove(rule);
        audit.Add(db, AuditActions.ForecasterDrift, "forecaster", forecaster.Name, new { removed = true });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ForecastAsync(string name, ForecastRequest? request, HttpRequest http, ForecastingDbContext db, ForecastService forecasts,
        CancellationToken cancellationToken)
    {
        var forecaster = await db.Forecasters.AsNoTracking().FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        if (forecaster.ActiveModelId is not { } modelId)
            return Problems.Conflict("No active model", $"Forecaster '{name}' follows schedule {forecaster.ScheduleId}, which has not promoted a model yet.");
        return await forecasts.ForecastAsync(modelId, request ?? new ForecastRequest(), http.WantsCsv(), forecaster.Id, cancellationToken);
    }

    private static async Task<Results<Ok<ForecasterResponse>, ValidationProblem, ProblemHttpResult>> PromoteAsync(
        string name, PromoteForecasterRequest request, ForecastingDbContext db, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (request.ModelId is not { } modelId) return Problems.Invalid([new FieldError("modelId", "modelId is required: the model to serve.")]);
        if (request.Reason is { Length: > 2000 }) return Problems.Invalid([new FieldError("reason", "reason is at most 2000 characters.")]);
        var forecaster = await db.Forecasters.FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        if (!await db.Models.AnyAsync(m => m.Id == modelId, cancellationToken))
            return Problems.Invalid([new FieldError("modelId", $"Model '{modelId}' does not exist.")]);
        var now = clock.GetUtcNow();
        audit.Add(db, AuditActions.ModelPromote, "forecaster", forecaster.Name, new { modelId, previousModelId = forecaster.ActiveModelId, reason = request.Reason });
        ForecasterHistory.Change(db, forecaster, ForecasterChangeAction.Promote, modelId, request.Reason ?? "Promoted by request.", now);
        await SetScheduleActiveAsync(db, forecaster, modelId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, forecaster, cancellationToken));
    }

    private static async Task<Results<Ok<ForecasterResponse>, ValidationProblem, ProblemHttpResult>> RollbackAsync(
        string name, RollbackForecasterRequest? request, ForecastingDbContext db, TimeProvider clock, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (request?.Reason is { Length: > 2000 }) return Problems.Invalid([new FieldError("reason", "reason is at most 2000 characters.")]);
        var forecaster = await db.Forecasters.FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        var changes = await db.ForecasterChanges.AsNoTracking().Where(c => c.ForecasterId == forecaster.Id).ToListAsync(cancellationToken);
        var target = ForecasterHistory.RollbackTarget(changes);
        if (target is null) return Problems.Conflict("Nothing to roll back to", $"Forecaster '{name}' has served no earlier model.");
        if (!await db.Models.AnyAsync(m => m.Id == target, cancellationToken))
            return Problems.Conflict("Earlier model deleted", $"The model served before, '{target}', was deleted; promote a model instead.");
        audit.Add(db, AuditActions.ModelRollback, "forecaster", forecaster.Name, new { modelId = target, previousModelId = forecaster.ActiveModelId, reason = request?.Reason });
        ForecasterHistory.Change(db, forecaster, ForecasterChangeAction.Rollback, target, request?.Reason ?? "Rolled back by request.", clock.GetUtcNow());
        await SetScheduleActiveAsync(db, forecaster, target.Value, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, forecaster, cancellationToken));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, ForecastingDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        var forecaster = await db.Forecasters.FirstOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (forecaster is null) return NotFound(name);
        db.Forecasters.Remove(forecaster);
        audit.Add(db, AuditActions.ForecasterDelete, "forecaster", forecaster.Name);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A forecaster following a schedule moves the schedule's active model with it, so the schedule's if_better compares against what is served.</summary>
    private static async Task SetScheduleActiveAsync(ForecastingDbContext db, ForecasterEntity forecaster, Guid modelId, CancellationToken cancellationToken)
    {
        if (forecaster.ScheduleId is not { } scheduleId) return;
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is not null) schedule.ActiveModelId = modelId;
    }

    private static async Task<ForecasterResponse> ResponseAsync(ForecastingDbContext db, ForecasterEntity forecaster, CancellationToken cancellationToken) =>
        ForecasterResponse.From(forecaster, await db.ForecasterChanges.AsNoTracking().Where(c => c.ForecasterId == forecaster.Id).ToListAsync(cancellationToken),
            await db.DriftRules.AsNoTracking().FirstOrDefaultAsync(r => r.ForecasterId == forecaster.Id, cancellationToken));

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Forecaster not found", detail: $"No forecaster is named '{name}'.");
}
