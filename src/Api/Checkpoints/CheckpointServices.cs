using Forecasting.Api.Jobs;

namespace Forecasting.Api.Checkpoints;

public static class CheckpointServices
{
    /// <summary>The checkpoint store and its cadence, validated when the host starts.</summary>
    public static IServiceCollection AddCheckpoints(this IServiceCollection services)
    {
        services.AddOptions<CheckpointOptions>()
            .BindConfiguration(CheckpointOptions.Section)
            .Validate(o => double.IsFinite(o.EverySeconds) && o.EverySeconds >= 0, "Checkpoints:EverySeconds must be a number of seconds, 0 or more.")
            .Validate(o => o.EveryEpochs >= 0, "Checkpoints:EveryEpochs must be 0 (by time only) or a positive number of epochs.")
            .ValidateOnStart();
        services.AddSingleton<CheckpointStore>();
        return services;
    }
}
