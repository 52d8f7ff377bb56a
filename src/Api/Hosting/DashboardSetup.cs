using Microsoft.Extensions.FileProviders;

namespace Forecasting.Api.Hosting;

/// <summary>
/// The web dashboard: static pages at / that call the same public API as any client. They are served from the
/// content root's wwwroot when it holds them (`dotnet run`, live edits), else from the copy beside the binary.
/// </summary>
public static class DashboardSetup
{
    public static void UseDashboard(this WebApplication app)
    {
        var files = Path.Exists(Path.Combine(app.Environment.WebRootPath ?? "", "index.html"))
            ? app.Environment.WebRootFileProvider
            : new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // The pages are small and change with the binary: revalidate rather than cache blind.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
