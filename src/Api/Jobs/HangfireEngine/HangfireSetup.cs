using Forecasting.Api.Deployment;
using Forecasting.Api.Schedules;
using Forecasting.Persistence;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs.HangfireEngine;

public static class HangfireSetup
{
    /// <summary>
    /// The job engine: Hangfire on PostgreSQL in the cluster, in memory in the one-process mode (the rows are
    /// durable; <see cref="JobRecovery"/> queues unfinished ones again at start). Workers also get the servers.
    /// </summary>
    public static void AddForecastingJobs(this IServiceCollection services, ServiceRole role)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Registered before AddHangfire, so each host (several in one test process) has its own storage, not JobStorage.Current.
        services.AddSingleton<JobStorage>(provider => CreateStorage(
            provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider,
            DatabaseOptions.ConnectionString(provider.GetRequiredService<IConfiguration>())));
        // Likewise its own activator: Hangfire's default is the process-wide JobActivator.Current, which the host that
        // configured itself last sets, so a host starting beside another could run its jobs in the other's container.
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddSingleton<IJobQueue, HangfireJobQueue>();
        services.AddSingleton<IRecurringSchedules, HangfireRecurringSchedules>();
        services.AddSingleton<JobExecutors>();
        services.AddSingleton<JobCancelWatch>();
        services.AddTransient<JobRunner>();
        services.AddHostedService<ScheduleRecovery>();
        services.AddHostedService<JobRecovery>();
        if (role.RunsJobs)
        {
            services.AddHostedService<JobServers>();
            services.AddSingleton<LostJobSweeper>();
            services.AddHostedService(provider => provider.GetRequiredService<LostJobSweeper>());
        }
    }

    /// <summary>The read-only dashboard at /hangfire (see <see cref="DashboardAccessFilter"/>).</summary>
    public static void UseJobsDashboard(this WebApplication app) =>
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            IsReadOnlyFunc = _ => true,
            Authorization = [],
            AsyncAuthorization = [new DashboardAccessFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/swagger",
            DashboardTitle = "Forecasting jobs",
        });

    private static JobStorage CreateStorage(DatabaseProvider provider, string connectionString)
    {
        if (provider != DatabaseProvider.Postgres) return new InMemoryStorage();
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            // A job whose worker died (kill -9) is visible again 30 s after its last heartbeat; sliding keeps
            // the jobs that run longer than that invisible while their worker lives.
            InvisibilityTimeout = TimeSpan.FromSeconds(30),
            UseSlidingInvisibilityTimeout = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            EnableLongPolling = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
