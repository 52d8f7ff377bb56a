using Microsoft.Playwright;

namespace Forecasting.Browser.Tests;

/// <summary>Full-page screenshots under TestResults/screenshots (the best are copied to docs/img by hand).</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => { document.getElementById('toast').textContent = ''; document.activeElement?.blur(); }");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }
}
