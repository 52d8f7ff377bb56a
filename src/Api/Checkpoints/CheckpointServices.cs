
namespace Forecasting.Api.Checkpoints;

public static class CheckpointServices
{
    /// <summary>The checkpoint store and its cadence, validated when the host starts.</summary>
    public static IServiceCollection AddCheckpoints(this IServiceCollection services)
    {
        services.AddOptions<CheckpointOptions>()
            .BindConfiguration(CheckpointOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<CheckpointStore>();
        return services;
    }
}
