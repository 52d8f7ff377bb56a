using Serilog;
using Serilog.Formatting.Compact;

namespace Forecasting.Api.Hosting;

public static class SerilogSetup
{
    /// <summary>
    /// Routes all logging through Serilog: levels from the "Serilog" configuration section, console output as
    /// text, or as compact JSON (one object per line, for log shippers) when <c>Logging:Format</c> is "json".
    /// Log scopes become properties: job lines carry RunId (or BacktestId) and Worker. The logger belongs to
    /// this host (not Serilog's static one), so several hosts in one test process keep theirs.
    /// </summary>
    public static void AddForecastingLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
        var logger = (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase)
            ? configuration.WriteTo.Console(new CompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"))
            .CreateLogger();
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
    }

    /// <summary>One line per request (method, path, status, elapsed) from Serilog's request logging, on this host's logger.</summary>
    public static void UseForecastingRequestLogging(this WebApplication app) =>
        app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
}
