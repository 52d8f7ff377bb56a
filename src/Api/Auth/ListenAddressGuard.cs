using System.Net;
using Forecasting.Api.Deployment;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>
/// Refuses to run in open mode on any address that is not loopback: before anything binds or migrates, from the
/// addresses the configuration asks for (<see cref="RefuseExposedOpenMode"/>), and again on the addresses the server
/// did bind (endpoints set in code); says at start-up which mode runs.
/// </summary>
public sealed class ListenAddressGuard(IServer server, IOptions<AuthOptions> options, ILogger<ListenAddressGuard> logger) : IHostedLifecycleService
{
    /// <summary>Kestrel's address when none is configured.</summary>
    private const string DefaultAddress = "http://localhost:5000";

    /// <summary>
    /// Throws <see cref="StartupRefusedException"/> when open mode would serve a non-loopback address. Only for Kestrel:
    /// an in-process test server binds nothing.
    /// </summary>
    public static void RefuseExposedOpenMode(IServiceProvider services)
    {
        var server = services.GetRequiredService<IServer>();
        if (server.GetType().Assembly != typeof(KestrelServerOptions).Assembly) return;
        if (services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode != AuthMode.Open) return;
        var exposed = ConfiguredAddresses(services.GetRequiredService<IConfiguration>()).Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0) throw new StartupRefusedException(RefusalSentence(exposed));
    }

    /// <summary>
    /// Every address the configuration names: urls (--urls, ASPNETCORE_URLS), http_ports and https_ports (all
    /// interfaces), Kestrel:Endpoints; Kestrel's default when none. All of them, even those Kestrel would let another
    /// source override: the guard errs on the side of refusing.
    /// </summary>
    public static IReadOnlyList<string> ConfiguredAddresses(IConfiguration configuration)
    {
        static IEnumerable<string> Split(string? list) => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var addresses = Split(configuration["urls"])
            .Concat(Split(configuration["http_ports"]).Select(port => $"http://*:{port}"))
            .Concat(Split(configuration["https_ports"]).Select(port => $"https://*:{port}"))
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();
        return addresses.Count > 0 ? addresses : [DefaultAddress];
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var auth = options.Value;
        if (auth.Mode == AuthMode.Keys)
        {
            logger.LogInformation("Auth:Mode=keys: every /api route and the dashboards need an API key (X-Api-Key or Authorization: Bearer). {AdminKey}",
                auth.AdminKey is { Length: > 0 } ? "The configuration admin key (Auth:AdminKey) is active." : "No Auth:AdminKey is set: only keys stored earlier work.");
            return Task.CompletedTask;
        }
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0)
            throw new StartupRefusedException(RefusalSentence(exposed));
        logger.LogWarning("Auth:Mode=open: no API keys are checked and every caller is admin. Allowed because the service listens only on loopback ({Addresses}); " +
            "set Auth:Mode=keys and Auth:AdminKey to serve other addresses.", addresses.Count == 0 ? "in-process" : string.Join(", ", addresses));
        return Task.CompletedTask;
    }

    public static string RefusalSentence(IReadOnlyList<string> exposed) =>
        $"Refusing to start: Auth:Mode is open (no API keys) but the service listens on {string.Join(", ", exposed)}, which is not loopback. " +
        "Set Auth:Mode=keys and Auth:AdminKey (environment: Auth__Mode=keys, Auth__AdminKey=<at least 32 random characters>), or listen on localhost only.";

    /// <summary>localhost, 127.0.0.0/8 and ::1 are loopback; 0.0.0.0, [::], + and * (all interfaces) and host names are not.</summary>
    public static bool IsLoopback(string address)
    {
        var binding = BindingAddress.Parse(address);
        if (binding.IsNamedPipe || binding.IsUnixPipe) return true;
        var host = binding.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
