using Forecasting.Api.Auth;
using Forecasting.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
var role = ServiceRole.From(builder.Configuration);
builder.AddForecastingLogging();
builder.AddForecastingServices(role);
builder.AddForecastingAuth();

var app = builder.Build();
app.MigrateDatabase();
app.UseForecastingPipeline();
app.MapForecastingEndpoints(role);
app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
