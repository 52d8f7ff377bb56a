using System.Net;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

public sealed class HealthTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Health_reports_the_database_reachable()
    {
        var response = await factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_answers_get_and_head_only()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health"))).StatusCode);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, "/health"));
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} /health answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Swagger_documents_every_route_with_a_summary()
    {
        var document = await (await factory.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
        var paths = document.GetProperty("paths");
        foreach (var route in new[] { "/api/datasets", "/api/datasets/synthetic", "/api/datasets/{id}/data", "/api/training-runs", "/api/training-runs/{id}/cancel", "/api/models/{id}/forecast", "/api/models/{id}/weights" })
            Assert.True(paths.TryGetProperty(route, out _), $"swagger lacks {route}");
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{operation.Name} {path.Name} has no summary");
    }
}
