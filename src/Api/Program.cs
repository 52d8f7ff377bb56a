using System.Reflection;
using Forecasting.Api.Auth;
using Forecasting.Api.Deployment;
using Forecasting.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddProductionDefaults();
    var role = ServiceRole.From(builder.Configuration);
    builder.AddForecastingLogging();
    builder.AddForecastingServices(role);
    builder.AddForecastingAuth();

    var app = builder.Build();
    app.RefuseUnsafeStart();
    app.MigrateDatabase();
    app.UseForecastingPipeline();
    app.MapForecastingEndpoints(role);
    app.Run();
    return 0;
}
// A refused start is one line and exit code 1, not a stack trace. Only when this is the process: a test host
// (WebApplicationFactory runs this entry point inside its own process) gets the exception itself.
catch (Exception error) when (Assembly.GetEntryAssembly() == typeof(Program).Assembly
    && ConfigurationErrors.Describe(error, builder.Configuration) is { } line)
{
    Console.Error.WriteLine(line);
    return 1;
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
