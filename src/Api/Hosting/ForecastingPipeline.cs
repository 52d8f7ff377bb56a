using System.Text.Json;
using Forecasting.Api.Audit;
using Forecasting.Api.Auth;
using Forecasting.Api.Backtests;
using Forecasting.Api.Datasets;
using Forecasting.Api.Deployment;
using Forecasting.Api.Forecasters;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs.HangfireEngine;
using Forecasting.Api.Keys;
using Forecasting.Api.Ledger;
using Forecasting.Api.ModelKinds;
using Forecasting.Api.Models;
using Forecasting.Api.Schedules;
using Forecasting.Api.StatelessForecasts;
using Forecasting.Api.TrainingRuns;
using Forecasting.Api.Updates;
using Forecasting.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

public static class ForecastingPipeline
{
    /// <summary>Applies migrations (and, on SQLite, enables WAL) before anything touches the database.</summary>
    public static void MigrateDatabase(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var provider = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
        PersistenceSetup.Migrate(scope.ServiceProvider.GetRequiredService<ForecastingDbContext>(), provider, DatabaseOptions.ConnectionString(app.Configuration));
    }

    public static void UseForecastingPipeline(this WebApplication app)
    {
        app.UseForecastingRequestLogging();
        app.UseMiddleware<MemoryRelief>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "Forecasting service");
        app.UseForecastingAuth();
    }

    public static void MapForecastingEndpoints(this WebApplication app, ServiceRole role)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync })
            .WithSummary("Liveness and database reachability").WithTags("Operations").AllowAnonymous()
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])); // other methods: 405
        if (!role.ServesApi) return;
        app.UseDashboard();
        app.MapDatasets();
        app.MapTrainingRuns();
        app.MapModels();
        app.MapStatelessForecasts();
        app.MapModelUpdates();
        app.MapModelKinds();
        app.MapBacktests();
        app.MapSchedules();
        app.MapApiKeys();
        app.MapAudit();
        app.UseJobsDashboard();
        app.MapForecasters();
        app.MapForecastLedger();
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
