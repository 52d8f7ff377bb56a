using Forecasting.Domain;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Forecasting.Api.Auth;

/// <summary>Marks each route that declares a scope as needing the API key (Swagger UI's lock and Authorize button), and names the scope.</summary>
public sealed class ScopeOperationFilter : IOperationFilter
{
    public const string SecuritySchemeId = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var scope = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ScopeMetadata>().LastOrDefault();
        if (scope is null) return;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeId, context.Document)] = [] }];
        operation.Description = $"{operation.Description}\n\nScope: **{scope.Scope.ToWire()}**.".TrimStart();
    }
}
