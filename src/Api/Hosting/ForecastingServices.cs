using Forecasting.Api.Audit;
using Forecasting.Api.Backtests;
using Forecasting.Api.Checkpoints;
using Forecasting.Api.Deployment;
using Forecasting.Api.Forecasts;
using Forecasting.Api.Http;
using Forecasting.Api.Jobs;
using Forecasting.Api.Jobs.HangfireEngine;
using Forecasting.Api.Ledger;
using Forecasting.Api.ModelKinds;
using Forecasting.Api.Schedules;
using Forecasting.Api.StatelessForecasts;
using Forecasting.Api.TrainingRuns;
using Forecasting.Persistence;
using Forecasting.Training.NeuralModels;
using Forecasting.Training.Statistical;
using Forecasting.Training.Statistical.Auto;
using Forecasting.Training.Statistical.Ets;
using Forecasting.Training.Statistical.Intermittent;
using Forecasting.Training.Statistical.Mstl;
using Forecasting.Training.Statistical.Theta;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDbContext<ForecastingDbContext>((provider, options) => PersistenceSetup.Configure(
            options, provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider, DatabaseOptions.ConnectionString(configuration)));
        services.AddScoped<DatasetStore>();

        services.AddNeuralBackends(role);
        services.AddModelKind<NaiveModelKind>();
        services.AddModelKind<SeasonalNaiveModelKind>();
        services.AddModelKind<SarimaModelKind>();
        services.AddModelKind<AutoSarimaModelKind>();
        services.AddModelKind<AutoModelKind>();
        services.AddModelKind<ThetaModelKind>();
        services.AddModelKind<CrostonModelKind>();
        services.AddModelKind<TsbModelKind>();
        services.AddModelKind<AdidaModelKind>();
        services.AddModelKind<ImapaModelKind>();
        services.AddModelKind<EtsModelKind>();
        services.AddModelKind<MstlModelKind>();
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
        services.AddScoped<StatelessForecaster>();
        services.AddScoped<BacktestValidator>();
        services.AddJobExecutor<BacktestExecutor>();
        services.AddScoped<ScheduleValidator>();
        services.AddScoped<ScheduleFiring>();
        services.AddScoped<ForecastLedger>();
        services.AddScoped<IDriftRetraining, ScheduleDriftRetraining>();
        services.AddScoped<JobSubmission>();
        services.AddScoped<JobQuota>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<ITrainingRunSucceededFilter, SchedulePromotion>();
        services.AddForecastingJobs(role);

        services.AddOptions<UploadsOptions>().BindConfiguration(UploadsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FormOptions>().Configure<IOptions<UploadsOptions>>((form, uploads) => form.MultipartBodyLengthLimit = uploads.Value.MaxBytes);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<UploadsOptions>>((kestrel, uploads) => kestrel.Limits.MaxRequestBodySize = uploads.Value.MaxBytes);
        services.Configure<JsonOptions>(options => ApiJson.ConfigureRequests(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOptions<Limits>().BindConfiguration(Limits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatelessForecastLimits>().BindConfiguration(StatelessForecastLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<UploadBufferCleanup>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddForecastingSwagger();
    }
}
