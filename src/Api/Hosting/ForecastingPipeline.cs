using System.Text.Json;
using Forecasting.Api.Backtests;
using Forecasting.Api.Datasets;
using Forecasting.Api.Models;
using Forecasting.Api.Schedules;
using Forecasting.Api.TrainingRuns;
using Forecasting.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Forecasting.Api.Hosting;

public static class ForecastingPipeline
{
    /// <summary>Applies migrations and enables WAL before anything (Quartz included) touches the database.</summary>
    public static void MigrateDatabase(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var connectionString = app.Configuration.GetConnectionString("Forecasting") ?? PersistenceSetup.DefaultConnectionString;
        PersistenceSetup.MigrateSqlite(scope.ServiceProvider.GetRequiredService<ForecastingDbContext>(), connectionString);
    }

    public static void UseForecastingPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<MemoryRelief>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "Forecasting service");
    }

    public static void MapForecastingEndpoints(this WebApplication app, ServiceRole role)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync })
            .WithSummary("Liveness and database reachability").WithTags("Operations");
        if (!role.ServesApi) return;
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        app.MapDatasets();
        app.MapTrainingRuns();
        app.MapModels();
        app.MapBacktests();
        app.MapSchedules();
    }

    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        }, ApiJson.Options));
    }
}
