using Forecasting.Domain;
using Forecasting.Training.Neural.Backends;

namespace Forecasting.Api.Hosting;

/// <summary>
/// On a worker: when the configuration depends on torch (Training:Device cuda, or Training:Backend torch), load it
/// now and refuse to start with the reason if it cannot run, rather than fail each training run later.
/// </summary>
public sealed class NeuralBackendStartupCheck(NeuralBackends backends, IEnumerable<INeuralBackend> all, ILogger<NeuralBackendStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = backends.Options;
        if (options.Device != TrainingDevice.Cuda && options.Backend != TrainingBackend.Torch) return Task.CompletedTask;
        var torch = all.FirstOrDefault(b => b.Kind == TrainingBackend.Torch);
        var why = torch is null ? "This build has no torch backend." : torch.Unavailable();
        if (why is not null)
            throw new InvalidOperationException($"This worker cannot start: it is configured to train on torch (Training:Device = {options.Device.ToWire()}, " +
                $"Training:Backend = {options.Backend?.ToWire() ?? "as each request asks"}), and torch cannot run here. {why}");
        logger.LogInformation("Torch backend ready on {Device} with {Threads} CPU threads", options.Device.ToWire(), options.EffectiveTorchThreads);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
