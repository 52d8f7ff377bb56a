using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Forecasting.Tests.Shared;

/// <summary>
/// The built service (Forecasting.Api.dll beside the calling assembly) started as a real process on a free
/// loopback port with its own SQLite file: for crash tests (SIGKILL) and benchmarks against real Kestrel.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress, string databasePath)
    {
        _process = process;
        BaseAddress = baseAddress;
        DatabasePath = databasePath;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The server process id (benchmarks read its memory from /proc).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The service's resident memory now (bytes).</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }
    public string DatabasePath { get; }
    public HttpClient Client { get; }

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the service listening on <paramref name="host"/> (default loopback); the client always talks to 127.0.0.1.</summary>
    public static async Task<ServiceProcess> StartAsync(string databasePath, IDictionary<string, string>? settings = null, int? port = null, string host = "127.0.0.1")
    {
        port ??= FreePort();
        var process = Process.Start(StartInfo(databasePath, settings, $"http://{host}:{port}")) ?? throw new InvalidOperationException("Could not start the service process.");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), databasePath);
        process.OutputDataReceived += (_, e) => { lock (service._output) service._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (service._output) service._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    /// <summary>
    /// Starts the service where it is expected to refuse to start, and waits for it to exit: its exit code, what it
    /// printed, and whether the port accepted a TCP connection meanwhile (probed on 127.0.0.1 until the exit).
    /// </summary>
    public static async Task<ServiceExit> RunUntilExitAsync(string databasePath, IDictionary<string, string>? settings = null, string host = "127.0.0.1", int? port = null)
    {
        port ??= FreePort();
        var output = new StringBuilder();
        using var process = Process.Start(StartInfo(databasePath, settings, $"http://{host}:{port}")) ?? throw new InvalidOperationException("Could not start the service process.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var accepted = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port.Value).WaitAsync(TimeSpan.FromMilliseconds(200));
                accepted = true;
            }
            catch (Exception e) when (e is SocketException or TimeoutException) { await Task.Delay(10); }
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not exit in 60 s:\n{output}");
        }
        await process.WaitForExitAsync(); // drains the redirected output
        lock (output) return new ServiceExit(process.ExitCode, output.ToString(), accepted);
    }

    private static ProcessStartInfo StartInfo(string databasePath, IDictionary<string, string>? settings, string urls)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Forecasting.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the API first: Forecasting.Api.dll is not beside the tests.", dll);
        // The database's folder is the working directory: not the project's, so appsettings.json is not found there.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", dll, "--urls", urls }) start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__Forecasting"] = $"Data Source={databasePath}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__")] = value;
        return start;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service did not become healthy in {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
