using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Tests.Auth;

public sealed class ApiKeyTests : IDisposable
{
    private readonly ApiFactory _factory = KeysMode.Factory();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_key_is_shown_once_and_the_database_holds_only_its_hash()
    {
        var (key, id) = await _factory.CreateKeyAsync("reporting", "read");
        Assert.StartsWith("fk_", key);
        Assert.True(Convert.FromBase64String(key[3..].Replace('-', '+').Replace('_', '/') + "=").Length == 32, "256 random bits");

        var stored = await _factory.QueryAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == Guid.Parse(id)));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), stored.Hash);
        Assert.Equal(key[..11], stored.Prefix);
        Assert.Equal("read", stored.Scopes);

        // Nowhere in the database file (tables, WAL) is the key or its secret part.
        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_factory.Directory, "forecasting.db*");
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(key[11..], Encoding.UTF8.GetString(bytes));
            Assert.DoesNotContain(key[11..], Encoding.Latin1.GetString(bytes));
        }

        var list = await (await _factory.AdminClient().GetAsync("/api/keys")).ReadJsonAsync();
        var listed = Assert.Single(list.EnumerateArray(), k => k.GetProperty("id").GetString() == id);
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.DoesNotContain(key[11..], list.ToString());
    }

    [Fact]
    public async Task A_key_works_in_either_header_until_it_is_deleted()
    {
        var (key, id) = await _factory.CreateKeyAsync("worker", "read");
        Assert.Equal(HttpStatusCode.OK, (await _factory.Client(key).GetAsync("/api/datasets")).StatusCode);
        var bearer = _factory.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/datasets")).StatusCode);
        var used = await _factory.QueryAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == Guid.Parse(id)));
        Assert.NotNull(used.LastUsedAt);

        Assert.Equal(HttpStatusCode.NoContent, (await _factory.AdminClient().DeleteAsync($"/api/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.Client(key).GetAsync("/api/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _factory.AdminClient().DeleteAsync($"/api/keys/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_key_that_expires_stops_working()
    {
        await _factory.CreateClient().GetAsync("/health"); // the host starts first: its start-up is not part of the key's lifetime
        // Long enough to use it once on a loaded machine, short enough to wait for.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(8);
        var response = await _factory.AdminClient().PostAsJsonAsync("/api/keys", new { name = "short", scopes = new[] { "read" }, expiresAt });
        var created = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
        var key = created.GetProperty("key").GetString();
        var used = await _factory.Client(key).GetAsync("/api/datasets");
        Assert.True(used.StatusCode == HttpStatusCode.OK, await used.Content.ReadAsStringAsync());
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        var refused = await _factory.Client(key).GetAsync("/api/datasets");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bad_key_requests_name_the_field()
    {
        var response = await _factory.AdminClient().PostAsJsonAsync("/api/keys", new { name = "", scopes = new[] { "read", "write" }, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.Contains("write", errors.GetProperty("scopes[1]")[0].GetString());
        Assert.True(errors.TryGetProperty("expiresAt", out _));
        Assert.Equal(0, await _factory.QueryAsync(db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task Swagger_offers_the_api_key_and_names_each_routes_scope()
    {
        var document = await (await _factory.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var delete = document.GetProperty("paths").GetProperty("/api/datasets/{id}").GetProperty("delete");
        Assert.True(delete.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.Contains("Scope: **admin**", delete.GetProperty("description").GetString());
    }
}
