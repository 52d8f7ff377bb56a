using Forecasting.Api.Deployment;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Torch;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

/// <summary>
/// The neural backends (managed, torch) and the worker's choice among them (configuration section
/// <c>Training</c>, <see cref="TrainingOptions"/>; docs/engine.md, "Backends"). A worker whose configuration names a
/// backend or device it cannot run refuses to start, saying why.
/// </summary>
public static class NeuralBackendServices
{
    public static IServiceCollection AddNeuralBackends(this IServiceCollection services, ServiceRole role)
    {
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<INeuralBackend>(sp => new ManagedNeuralBackend(sp.GetRequiredService<IOptions<TrainingOptions>>().Value));
        services.AddSingleton<INeuralBackend>(sp => new TorchNeuralBackend(sp.GetRequiredService<IOptions<TrainingOptions>>().Value));
        services.AddSingleton(sp => new NeuralBackends(sp.GetServices<INeuralBackend>(), sp.GetRequiredService<IOptions<TrainingOptions>>().Value));
        if (role.RunsJobs) services.AddHostedService<NeuralBackendStartupCheck>();
        return services;
    }
}
