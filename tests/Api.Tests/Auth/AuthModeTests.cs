using System.Net;
using Forecasting.Api.Auth;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Microsoft.Extensions.Configuration;

namespace Forecasting.Api.Tests.Auth;

/// <summary>Open mode only on loopback (the refusal itself: SafeStartTests); keys mode anywhere.</summary>
public sealed class AuthModeTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("[::1]", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("[::]", false)]
    [InlineData("+", false)]
    [InlineData("*", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("forecasting.example.com", false)]
    public void Loopback_addresses_are_told_from_the_others(string host, bool loopback) =>
        Assert.Equal(loopback, ListenAddressGuard.IsLoopback($"http://{host}:8080"));

    [Fact]
    public void The_addresses_checked_before_binding_are_every_configured_one_or_kestrels_default()
    {
        static IReadOnlyList<string> Addresses(Dictionary<string, string?> settings) =>
            ListenAddressGuard.ConfiguredAddresses(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        Assert.Equal(["http://localhost:5000"], Addresses([]));
        Assert.Equal(["http://127.0.0.1:5000", "http://0.0.0.0:80", "http://*:8080", "https://[::]:443"], Addresses(new()
        {
            ["urls"] = "http://127.0.0.1:5000;http://0.0.0.0:80",
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:Public:Url"] = "https://[::]:443",
        }));
    }

    [Fact]
    public async Task Keys_mode_on_all_interfaces_starts_and_open_mode_on_loopback_says_so()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-auth-");
        await using (var keys = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "keys.db"),
            new Dictionary<string, string> { ["Auth:Mode"] = "keys", ["Auth:AdminKey"] = KeysMode.AdminKey }, host: "0.0.0.0"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await keys.Client.GetAsync("/api/datasets")).StatusCode);
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/datasets") { Headers = { { "X-Api-Key", KeysMode.AdminKey } } };
            Assert.Equal(HttpStatusCode.OK, (await keys.Client.SendAsync(request)).StatusCode);
            Assert.Contains("Auth:Mode=keys", keys.Output);
        }
        await using (var open = await ServiceProcess.StartAsync(Path.Combine(folder.FullName, "open.db")))
        {
            Assert.Equal(HttpStatusCode.OK, (await open.Client.GetAsync("/api/datasets")).StatusCode);
            Assert.Contains("Auth:Mode=open", open.Output);
            Assert.Contains("listens only on loopback", open.Output);
        }
        try { folder.Delete(recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_short_admin_key_is_refused_at_start_up()
    {
        using var factory = ApiFactory.With(new() { ["Auth:Mode"] = "keys", ["Auth:AdminKey"] = "too-short" });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Auth:AdminKey must be at least 32 characters", error.ToString());
    }
}
