using Microsoft.Extensions.Configuration.Memory;

namespace Forecasting.Api.Hosting;

public static class ProductionDefaults
{
    /// <summary>
    /// Settings that must hold however the process is started. appsettings.json is read from the content root, which
    /// is the working directory: <c>dotnet /app/Forecasting.Api.dll</c> started elsewhere finds no file, and EF Core
    /// then logs every command at Information (half the forecast throughput). These are the first source, so
    /// appsettings.json, the environment and the command line still override each of them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
        ["Serilog:MinimumLevel:Override:Hangfire"] = "Warning",
    };

    public static void AddProductionDefaults(this WebApplicationBuilder builder) =>
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
}
