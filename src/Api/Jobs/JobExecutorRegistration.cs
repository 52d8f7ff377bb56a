namespace Forecasting.Api.Jobs;

public static class JobExecutorRegistration
{
    /// <summary>Registers a job type's executor: the one line a new job type adds.</summary>
    public static IServiceCollection AddJobExecutor<TExecutor>(this IServiceCollection services) where TExecutor : class, IJobExecutor
    {
        services.AddSingleton<TExecutor>();
        services.AddSingleton<IJobExecutor>(provider => provider.GetRequiredService<TExecutor>());
        return services;
    }
}
