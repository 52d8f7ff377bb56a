using System.Net;
using System.Text;
using Forecasting.Api.Auth;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Domain;

namespace Forecasting.Api.Tests.Auth;

/// <summary>
/// For every /api route (enumerated from the endpoints, so new routes are covered): no key, an unknown key and an
/// expired key are 401 with WWW-Authenticate; a key with only another scope is 403 naming the needed one; a key with
/// the needed scope gets past authorization (whatever the route then answers to an empty request).
/// </summary>
public sealed class AccessMatrixTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = KeysMode.Factory();
    private readonly Dictionary<ApiScope, string> _keys = [];
    private string _expired = "";

    public async Task InitializeAsync()
    {
        foreach (var scope in ApiScopes.All) _keys[scope] = (await _factory.CreateKeyAsync($"only-{scope.ToWire()}", scope.ToWire())).Key;
        _expired = await _factory.ExpiredKeyAsync();
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private static HttpRequestMessage Request(string method, string pattern, string? key, bool bearer = false)
    {
        var path = pattern.Replace("{id:guid}", Guid.NewGuid().ToString()).Replace("{name}", "nobody");
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (key is not null)
        {
            if (bearer) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            else request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }

    [Fact]
    public async Task Every_route_answers_the_matrix_of_keys()
    {
        var client = _factory.CreateClient();
        var failures = new List<string>();
        var endpoints = ScopeDeclarationTests.ApiEndpoints(_factory.Services);
        Assert.True(endpoints.Count >= ScopeDeclarationTests.Expected.Count);
        foreach (var (route, method, pattern, scopes) in endpoints)
        {
            var needed = scopes.Single().Scope;
            foreach (var (label, key) in new[] { ("no key", (string?)null), ("unknown key", ApiKeyGenerator.NewKey()), ("expired key", _expired) })
            {
                using var response = await client.SendAsync(Request(method, pattern, key));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{route} with {label}: {(int)response.StatusCode} {body}");
                else if (!response.Headers.WwwAuthenticate.Any(h => h.Scheme == "ApiKey") || !response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"))
                    failures.Add($"{route} with {label}: 401 without WWW-Authenticate ApiKey and Bearer");
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{route} with {label}: 401 is not problem details");
            }
            foreach (var scope in ApiScopes.All)
            {
                using var response = await client.SendAsync(Request(method, pattern, _keys[scope], bearer: scope == ApiScope.Train));
                var body = await response.Content.ReadAsStringAsync();
                if (scope == needed)
                {
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.InternalServerError)
                        failures.Add($"{route} with a {scope.ToWire()} key: {(int)response.StatusCode} {body}");
                }
                else if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains($"\"requiredScope\":\"{needed.ToWire()}\""))
                    failures.Add($"{route} with a {scope.ToWire()} key: expected 403 naming '{needed.ToWire()}', got {(int)response.StatusCode} {body}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_answers_say_what_is_wrong()
    {
        var client = _factory.CreateClient();
        var none = await (await client.GetAsync("/api/datasets")).ReadJsonAsync();
        Assert.Contains("X-Api-Key", none.GetProperty("detail").GetString());
        var expired = await client.SendAsync(Request("GET", "/api/datasets", _expired));
        Assert.Contains("expired", (await expired.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Contains(expired.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token"));
        var forbidden = await client.SendAsync(Request("DELETE", $"/api/datasets/{Guid.NewGuid()}", _keys[ApiScope.Read]));
        var problem = await forbidden.ReadJsonAsync();
        Assert.Equal("This route needs the 'admin' scope", problem.GetProperty("title").GetString());
        Assert.Contains("only-read", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Routes_outside_the_api_need_no_key()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/v1/swagger.json")).StatusCode);
        // An unknown /api path is closed too (the fallback policy), not a 404 that reveals nothing is there.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/nothing-here")).StatusCode);
    }
}
