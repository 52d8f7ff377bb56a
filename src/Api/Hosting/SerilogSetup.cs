using Serilog;
using Serilog.Formatting.Compact;

namespace Forecasting.Api.Hosting;

public static class SerilogSetup
{
    /// <summary>
    /// Routes all logging through Serilog: levels from the "Serilog" configuration section, console output as
    /// text, or as compact JSON (one object per line, for log shippers) when <c>Logging:Format</c> is "json".
    /// Log scopes become properties: job lines carry RunId (or BacktestId) and Worker.
    /// </summary>
    public static void AddForecastingLogging(this WebApplicationBuilder builder)
    {
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        // preserveStaticLogger: each host (several in one test process) keeps its own logger.
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();
            if (json) logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
        }, preserveStaticLogger: true);
    }
}
