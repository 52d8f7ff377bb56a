using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Auth;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Tests.Auth;

/// <summary>The service in keys mode with a configuration admin key, and helpers to make keys and clients.</summary>
public static class KeysMode
{
    public const string AdminKey = "test-admin-key-0123456789abcdefghijklmnopqrstuvwxyz";

    public static ApiFactory Factory(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Auth:Mode"] = "keys", ["Auth:AdminKey"] = AdminKey };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return ApiFactory.With(settings);
    }

    public static HttpClient Client(this ApiFactory factory, string? key)
    {
        var client = factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static HttpClient AdminClient(this ApiFactory factory) => factory.Client(AdminKey);

    /// <summary>Creates a key through POST /api/keys and returns (the key, its id).</summary>
    public static async Task<(string Key, string Id)> CreateKeyAsync(this ApiFactory factory, string name, params string[] scopes)
    {
        var response = await factory.AdminClient().PostAsJsonAsync("/api/keys", new { name, scopes });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("key").GetString()!, body.GetProperty("details").GetProperty("id").GetString()!);
    }

    /// <summary>Stores a key that expired a minute ago (all scopes), straight into the database, and returns it.</summary>
    public static async Task<string> ExpiredKeyAsync(this ApiFactory factory)
    {
        var key = ApiKeyGenerator.NewKey();
        await factory.QueryAsync(async db =>
        {
            db.ApiKeys.Add(new ApiKeyEntity
            {
                Id = Guid.NewGuid(), Name = "expired", Prefix = ApiKeyGenerator.Prefix(key), Hash = ApiKeyGenerator.Hash(key),
                Scopes = ApiScopes.Join(ApiScopes.All), CreatedAt = DateTimeOffset.UtcNow.AddDays(-2), ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            return await db.SaveChangesAsync();
        });
        return key;
    }

    public static async Task<JsonElement> AuditAsync(this ApiFactory factory, string query = "") =>
        await (await factory.AdminClient().GetAsync("/api/audit?take=200" + query)).ReadJsonAsync();
}
