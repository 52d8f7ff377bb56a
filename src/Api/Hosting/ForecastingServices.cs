using System.Security.Cryptography;
using System.Text;
using Forecasting.Api.Backtests;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Jobs;
using Forecasting.Api.Schedules;
using Forecasting.Api.TrainingRuns;
using Forecasting.Persistence;
using Forecasting.Training.Models;
using Forecasting.Training.NeuralModels;
using Forecasting.Training.Statistical;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Quartz;

namespace Forecasting.Api.Hosting;

public static class ForecastingServices
{
    /// <summary>Registers persistence, model kinds, the job queue (and, for workers, the job runner), and HTTP plumbing.</summary>
    public static void AddForecastingServices(this WebApplicationBuilder builder, ServiceRole role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString("Forecasting") ?? PersistenceSetup.DefaultConnectionString;

        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<ForecastingDbContext>(options => PersistenceSetup.ConfigureSqlite(options, connectionString));
        services.AddScoped<DatasetStore>();

        services.AddSingleton<IModelKind, NaiveModelKind>();
        services.AddSingleton<IModelKind, SeasonalNaiveModelKind>();
        services.AddSingleton<IModelKind, SarimaModelKind>();
        services.AddSingleton<IModelKind, AutoSarimaModelKind>();
        services.AddSingleton<IModelKind, LinearModelKind>();
        services.AddSingleton<IModelKind, SimpleRnnModelKind>();
        services.AddSingleton<IModelKind, LstmModelKind>();
        services.AddSingleton<IModelKind, GruModelKind>();
        services.AddSingleton<IModelKind, ConvGruModelKind>();
        services.AddSingleton<IModelKind, WaveNetModelKind>();
        services.AddSingleton<ModelKindRegistry>();

        services.AddScoped<TrainingRunValidator>();
        services.AddSingleton<TrainingRunQueue>();
        services.AddSingleton<TrainingRunExecutor>();
        services.AddSingleton<ForecastService>();
        services.AddTransient<TrainingJob>();
        services.AddScoped<BacktestValidator>();
        services.AddSingleton<BacktestQueue>();
        services.AddSingleton<BacktestExecutor>();
        services.AddTransient<BacktestJob>();
        services.AddScoped<ScheduleValidator>();
        services.AddScoped<ScheduleFiring>();
        services.AddSingleton<ScheduleTriggers>();
        services.AddSingleton<SchedulePromotion>();
        services.AddTransient<ScheduleJob>();

        // Quartz keys stored jobs by instance name: stable for one database file, distinct between files
        // (several hosts in one test process each get their own).
        var instanceName = "forecasting-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource))))[..12];
        services.AddQuartz([new("quartz.scheduler.instanceName", instanceName)], quartz =>
        {
            quartz.UseDefaultThreadPool(MaxConcurrentTrainingJobs(configuration));
            quartz.UsePersistentStore(store =>
            {
                store.UseSqlite(connectionString);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        if (role.RunsJobs)
        {
            // The API role only queues; the scheduler that executes jobs runs in worker processes.
            services.AddQuartzHostedService(options => options.WaitForJobsToComplete = false);
            services.AddHostedService<JobRecovery>();
        }

        var maxUpload = configuration.GetValue<long?>("Uploads:MaxBytes") ?? 200L * 1024 * 1024;
        services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = maxUpload);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxUpload);
        services.Configure<JsonOptions>(options => ApiJson.ConfigureRequests(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOptions<Limits>().BindConfiguration(Limits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<UploadBufferCleanup>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddForecastingSwagger();
    }

    /// <summary>Training:MaxConcurrentJobs, default one less than the cores (at least 1), so the API stays responsive.</summary>
    public static int MaxConcurrentTrainingJobs(IConfiguration configuration) =>
        configuration.GetValue<int?>("Training:MaxConcurrentJobs") is { } configured and > 0
            ? configured
            : Math.Max(1, Environment.ProcessorCount - 1);
}
