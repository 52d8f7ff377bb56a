using System.Diagnostics;

namespace Forecasting.Browser.Tests;

/// <summary>
/// Debian's chromium, driven by Playwright (whose own browser download cannot work here). When it is absent the
/// tests run install-chromium.sh once (apt-get, as root); where it still cannot be had they are skipped with the
/// reason, unless FORECASTING_REQUIRE_CHROMIUM=1 (set by .ci/run), in which case they run and fail.
/// </summary>
public static class Chromium
{
    public const string RequireVariable = "FORECASTING_REQUIRE_CHROMIUM";
    public const string PathVariable = "FORECASTING_CHROMIUM";

    private static readonly Lazy<(string? Path, string Reason)> Found = new(Locate);

    public static string? Path => Found.Value.Path;
    public static string Reason => Found.Value.Reason;
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Chromium's flags for a machine without outside network: nothing phones home, nothing waits on it.</summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private static (string?, string) Locate()
    {
        var overridden = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
            return File.Exists(overridden) ? (overridden, "") : (null, $"{PathVariable}={overridden} does not exist.");
        if (Existing() is { } path) return (path, "");
        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "install-chromium.sh");
        var output = Run("bash", script);
        return Existing() is { } installed
            ? (installed, "")
            : (null, $"chromium not found and install-chromium.sh could not install it: {output.Trim()}");
    }

    private static string? Existing() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    private static string Run(string file, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, [argument])
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit(600_000);
            return stdout + stderr.Result;
        }
        catch (Exception e) { return e.Message; }
    }
}
