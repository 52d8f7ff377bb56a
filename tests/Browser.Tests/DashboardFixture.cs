using Forecasting.Tests.Shared;
using Microsoft.Playwright;

namespace Forecasting.Browser.Tests;

/// <summary>The service as a real process on a loopback port with its own SQLite file, and one headless chromium.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"dashboard-tests-{Guid.NewGuid():N}");
    private IPlaywright? _playwright;

    public ServiceProcess Service { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests leave their screenshots (git-ignored TestResults/ at the repository root).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Directory.CreateDirectory(ScreenshotDirectory);
        Service = await ServiceProcess.StartAsync(Path.Combine(_directory, "forecasting.db"));
        if (Chromium.Path is null) return; // the facts skip (or, under CI, fail on Browser below)
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = Chromium.Arguments,
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        if (Chromium.Path is null) throw new InvalidOperationException(Chromium.Reason);
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = Service.BaseAddress.ToString() });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
        await Service.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { /* the process may still hold the file briefly */ }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Forecasting.sln not found above the test binaries.");
    }
}
