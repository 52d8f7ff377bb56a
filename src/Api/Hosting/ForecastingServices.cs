using Forecasting.Api.Backtests;
using Forecasting.Api.Checkpoints;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Jobs;
using Forecasting.Api.Jobs.HangfireEngine;
using Forecasting.Api.ModelKinds;
using Forecasting.Api.Schedules;
using Forecasting.Api.TrainingRuns;
using Forecasting.Persistence;
using Forecasting.Training.NeuralModels;
using Forecasting.Training.Statistical;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

public static class ForecastingServices
{
    /// <summary>Registers persistence, model kinds, the job engine (and, for workers, its servers), and HTTP plumbing.</summary>
    public static void AddForecastingServices(this WebApplicationBuilder builder, ServiceRole role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(role);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddDbContext<ForecastingDbContext>((provider, options) => PersistenceSetup.Configure(
            options, provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider, DatabaseOptions.ConnectionString(configuration)));
        services.AddScoped<DatasetStore>();

        services.AddNeuralBackends(role);
        services.AddModelKind<NaiveModelKind>();
        services.AddModelKind<SeasonalNaiveModelKind>();
        services.AddModelKind<SarimaModelKind>();
        services.AddModelKind<AutoSarimaModelKind>();
        services.AddModelKind<LinearModelKind>();
        services.AddModelKind<SimpleRnnModelKind>();
        services.AddModelKind<LstmModelKind>();
        services.AddModelKind<GruModelKind>();
        services.AddModelKind<ConvGruModelKind>();
        services.AddModelKind<WaveNetModelKind>();

        services.AddScoped<TrainingRunValidator>();
        services.AddJobExecutor<TrainingRunExecutor>();
        services.AddCheckpoints();
        services.AddSingleton<ForecastService>();
        services.AddScoped<BacktestValidator>();
        services.AddJobExecutor<BacktestExecutor>();
        services.AddScoped<ScheduleValidator>();
        services.AddScoped<ScheduleFiring>();
        services.AddScoped<JobSubmission>();
        services.AddSingleton<SchedulePromotion>();
        services.AddForecastingJobs(role);

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
}
