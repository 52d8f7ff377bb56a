using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Keys;

public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/keys").WithTags("API keys");
        group.MapPost("/", CreateAsync).RequireScope(ApiScope.Admin)
            .WithSummary("Create an API key (shown once)")
            .WithDescription("Body { name, scopes: [read | train | admin], expiresAt? }. The answer holds the key itself, this once: only its SHA-256 hash is stored. " +
                "Send it as X-Api-Key or Authorization: Bearer.");
        group.MapGet("/", ListAsync).RequireScope(ApiScope.Admin)
            .WithSummary("List API keys")
            .WithDescription("Name, first characters, scopes, expiry and last use (to the minute) of each stored key; never the key.");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireScope(ApiScope.Admin)
            .WithSummary("Delete an API key")
            .WithDescription("The key stops working at once. The configuration admin key (Auth:AdminKey) is not stored and cannot be deleted here.");
        return group;
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> CreateAsync(
        CreateApiKeyRequest request, ForecastingDbContext db, IAuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new List<FieldError>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(new FieldError("name", "A name is required (who or what uses the key)."));
        else if (name.Length > 200) errors.Add(new FieldError("name", "The name is longer than 200 characters."));
        var scopes = new List<ApiScope>();
        if (request.Scopes is not { Count: > 0 }) errors.Add(new FieldError("scopes", "At least one scope is required: read, train or admin."));
        else
            for (var i = 0; i < request.Scopes.Count; i++)
                if (ApiScopes.TryParse(request.Scopes[i], out var scope)) scopes.Add(scope);
                else errors.Add(new FieldError($"scopes[{i}]", $"Unknown scope '{request.Scopes[i]}': use read, train or admin."));
        if (request.ExpiresAt is { } expires && expires <= now) errors.Add(new FieldError("expiresAt", "expiresAt must be in the future."));
        if (errors.Count > 0) return Problems.Invalid(errors, "The key request is invalid");

        var key = ApiKeyGenerator.NewKey();
        var entity = new ApiKeyEntity
        {
            Id = Guid.NewGuid(),
            Name = name!,
            Prefix = ApiKeyGenerator.Prefix(key),
            Hash = ApiKeyGenerator.Hash(key),
            Scopes = ApiScopes.Join(scopes),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
        };
        db.ApiKeys.Add(entity);
        audit.Add(db, AuditActions.KeyCreate, "key", entity.Id.ToString(), new { entity.Name, entity.Prefix, scopes = entity.Scopes, entity.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/keys/{entity.Id}", new CreatedApiKeyResponse(key, ApiKeyResponse.From(entity, now)));
    }

    private static async Task<Ok<List<ApiKeyResponse>>> ListAsync(ForecastingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(keys.Select(k => ApiKeyResponse.From(k, now)).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, ForecastingDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null) return Problems.NotFound("API key", id);
        db.ApiKeys.Remove(key);
        audit.Add(db, AuditActions.KeyDelete, "key", id.ToString(), new { key.Name, key.Prefix });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
