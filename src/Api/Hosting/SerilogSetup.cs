using Serilog;
using Serilog.Formatting.Json;

namespace Forecasting.Api.Hosting;

public static class SerilogSetup
{
    /// <summary>
    /// Routes all logging through Serilog: levels from the "Serilog" configuration section, console output as
    /// text, or as one JSON object per line when <c>Logging:Format</c> is "json" (for log shippers).
    /// </summary>
    public static void AddForecastingLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        configuration = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase)
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
    }
}
