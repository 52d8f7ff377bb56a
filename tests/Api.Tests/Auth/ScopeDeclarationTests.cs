using Forecasting.Api.Auth;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests.Auth;

/// <summary>
/// Every /api route declares exactly one scope (RequireScope), and the declarations are the documented table: a
/// route added without a scope, or with a different one, fails here (and is admin-only at run time meanwhile).
/// </summary>
public sealed class ScopeDeclarationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>The table in README.md ("API keys"): method, route, scope.</summary>
    public static readonly Dictionary<string, ApiScope> Expected = new()
    {
        ["POST /api/datasets/"] = ApiScope.Train,
        ["POST /api/datasets/synthetic"] = ApiScope.Train,
        ["GET /api/datasets/"] = ApiScope.Read,
        ["GET /api/datasets/{id:guid}"] = ApiScope.Read,
        ["GET /api/datasets/{id:guid}/data"] = ApiScope.Read,
        ["POST /api/datasets/{id:guid}/observations"] = ApiScope.Train,
        ["POST /api/forecast"] = ApiScope.Read,
        ["DELETE /api/datasets/{id:guid}"] = ApiScope.Admin,
        ["POST /api/training-runs/"] = ApiScope.Train,
        ["GET /api/training-runs/"] = ApiScope.Read,
        ["GET /api/training-runs/{id:guid}"] = ApiScope.Read,
        ["POST /api/training-runs/{id:guid}/cancel"] = ApiScope.Train,
        ["GET /api/models/"] = ApiScope.Read,
        ["GET /api/models/leaderboard"] = ApiScope.Read,
        ["GET /api/models/{id:guid}"] = ApiScope.Read,
        ["GET /api/models/{id:guid}/series"] = ApiScope.Read,
        ["GET /api/models/{id:guid}/weights"] = ApiScope.Read,
        ["DELETE /api/models/{id:guid}"] = ApiScope.Admin,
        ["POST /api/models/{id:guid}/forecast"] = ApiScope.Read,
        ["POST /api/models/{id:guid}/anomalies"] = ApiScope.Read,
        ["GET /api/models/{id:guid}/accuracy"] = ApiScope.Read,
        ["GET /api/models/{id:guid}/forecasts"] = ApiScope.Read,
        ["POST /api/models/{id:guid}/update"] = ApiScope.Train,
        ["GET /api/model-kinds/"] = ApiScope.Read,
        ["POST /api/backtests/"] = ApiScope.Train,
        ["GET /api/backtests/"] = ApiScope.Read,
        ["GET /api/backtests/{id:guid}"] = ApiScope.Read,
        ["POST /api/backtests/{id:guid}/cancel"] = ApiScope.Train,
        ["POST /api/schedules/"] = ApiScope.Train,
        ["GET /api/schedules/"] = ApiScope.Read,
        ["GET /api/schedules/{id:guid}"] = ApiScope.Read,
        ["GET /api/schedules/{id:guid}/decisions"] = ApiScope.Read,
        ["POST /api/schedules/{id:guid}/trigger"] = ApiScope.Train,
        ["DELETE /api/schedules/{id:guid}"] = ApiScope.Admin,
        ["POST /api/keys/"] = ApiScope.Admin,
        ["GET /api/keys/"] = ApiScope.Admin,
        ["DELETE /api/keys/{id:guid}"] = ApiScope.Admin,
        ["GET /api/audit/"] = ApiScope.Admin,
        ["POST /api/forecasters/"] = ApiScope.Train,
        ["GET /api/forecasters/"] = ApiScope.Read,
        ["GET /api/forecasters/{name}"] = ApiScope.Read,
        ["POST /api/forecasters/{name}/forecast"] = ApiScope.Read,
        ["POST /api/forecasters/{name}/promote"] = ApiScope.Train,
        ["POST /api/forecasters/{name}/rollback"] = ApiScope.Train,
        ["GET /api/forecasters/{name}/accuracy"] = ApiScope.Read,
        ["GET /api/forecasters/{name}/forecasts"] = ApiScope.Read,
        ["GET /api/forecasters/{name}/anomalies"] = ApiScope.Read,
        ["GET /api/forecasters/{name}/events"] = ApiScope.Read,
        ["PUT /api/forecasters/{name}/drift"] = ApiScope.Train,
        ["DELETE /api/forecasters/{name}/drift"] = ApiScope.Train,
        ["DELETE /api/forecasters/{name}"] = ApiScope.Admin,
    };

    /// <summary>Every endpoint under /api: "METHOD pattern", and its scope declarations.</summary>
    public static List<(string Route, string Method, string Pattern, IReadOnlyList<ScopeMetadata> Scopes)> ApiEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => ($"{m} {e.RoutePattern.RawText}", m, e.RoutePattern.RawText!, e.Metadata.GetOrderedMetadata<ScopeMetadata>())))
            .ToList();

    [Fact]
    public void Every_api_route_declares_exactly_one_scope()
    {
        var endpoints = ApiEndpoints(factory.Services);
        Assert.NotEmpty(endpoints);
        var undeclared = endpoints.Where(e => e.Scopes.Count != 1).Select(e => $"{e.Route} declares {e.Scopes.Count} scopes").ToList();
        Assert.True(undeclared.Count == 0, "Add .RequireScope(ApiScope.X) to: " + string.Join("; ", undeclared));
    }

    [Fact]
    public void The_declared_scopes_are_the_documented_table()
    {
        var declared = ApiEndpoints(factory.Services).ToDictionary(e => e.Route, e => e.Scopes.Single().Scope);
        Assert.Equal(Expected.OrderBy(p => p.Key), declared.OrderBy(p => p.Key));
    }
}
