using System.Diagnostics;
using Npgsql;

namespace Forecasting.Tests.Shared;

/// <summary>
/// A private PostgreSQL on a free loopback port, in a temporary folder, started by the repository's
/// tests/Cluster/postgres.sh (which installs Debian's postgresql when it is missing and runs as root), stopped and deleted on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public const string RequireVariable = "FORECASTING_REQUIRE_POSTGRES";

    private readonly string _folder;
    private readonly string _script;

    private PrivatePostgres(string folder, string script, string connectionString)
    {
        _folder = folder;
        _script = script;
        ServerConnectionString = connectionString;
    }

    /// <summary>The "postgres" database of the server, as its superuser.</summary>
    public string ServerConnectionString { get; }

    /// <summary>CI sets FORECASTING_REQUIRE_POSTGRES=1: a test that cannot start PostgreSQL fails instead of skipping.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why PostgreSQL cannot be started here, or null when it can (installed, or installable as root).</summary>
    public static string? Unavailable()
    {
        if (ScriptPath() is null) return "tests/Cluster/postgres.sh was not found above the test binaries.";
        var installed = Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "initdb", SearchOption.AllDirectories).Any();
        if (installed) return null;
        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get")) return null;
        return "PostgreSQL is not installed (no initdb under /usr/lib/postgresql) and cannot be installed without root and apt-get.";
    }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var script = ScriptPath() ?? throw new InvalidOperationException(Unavailable());
        var folder = Directory.CreateTempSubdirectory("forecasting-pg-").FullName;
        var port = ServiceProcess.FreePort();
        var (code, output, errors) = await RunAsync(script, "start", folder, port.ToString());
        if (code != 0) throw new InvalidOperationException($"PostgreSQL did not start (exit {code}): {errors}");
        return new PrivatePostgres(folder, script, output.Trim().Split('\n').Last().Trim());
    }

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(_script, "stop", _folder);
        try { Directory.Delete(_folder, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string? ScriptPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tests", "Cluster", "postgres.sh");
            if (File.Exists(script)) return script;
        }
        return null;
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
