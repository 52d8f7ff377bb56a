namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// A worker's neural backends (configuration section <c>Training</c>): <c>Training:Backend</c> forces one
/// (managed | torch; empty = as each request asks), <c>Training:ForbiddenBackends</c> lists those this worker
/// refuses, <c>Training:Device</c> is cpu or cuda (torch only), <c>Training:TorchThreads</c> caps torch's CPU
/// threads (0 = the cores), <c>Training:ManagedThreads</c> caps the managed engine's (0 = the cores; it uses several
/// only where a batch's work pays for them, <see cref="ManagedThreadsRule"/>).
/// </summary>
public sealed class NeuralBackendOptions
{
    public const string Section = "Training";

    public string? Backend { get; set; }

    public List<string> ForbiddenBackends { get; set; } = [];

    public string Device { get; set; } = "cpu";

    public int TorchThreads { get; set; }

    public int ManagedThreads { get; set; }

    /// <summary>Torch's CPU threads on this host.</summary>
    public int EffectiveTorchThreads => TorchThreads > 0 ? TorchThreads : Environment.ProcessorCount;

    /// <summary>The most CPU threads the managed engine may use on this host.</summary>
    public int EffectiveManagedThreads => ManagedThreads > 0 ? ManagedThreads : Environment.ProcessorCount;

    /// <summary>Configuration errors, each a sentence naming the key.</summary>
    public IEnumerable<string> Validate()
    {
        string[] names = [ManagedNeuralBackend.BackendName, NeuralBackends.Torch];
        if (!string.IsNullOrEmpty(Backend) && !names.Contains(Backend))
            yield return $"Training:Backend must be managed or torch (or empty to follow each request), not '{Backend}'.";
        foreach (var forbidden in ForbiddenBackends.Where(b => !names.Contains(b)))
            yield return $"Training:ForbiddenBackends lists '{forbidden}'; the backends are managed and torch.";
        if (!string.IsNullOrEmpty(Backend) && ForbiddenBackends.Contains(Backend))
            yield return $"Training:Backend forces '{Backend}', which Training:ForbiddenBackends forbids.";
        if (Device is not ("cpu" or "cuda")) yield return $"Training:Device must be cpu or cuda, not '{Device}'.";
        if (Device == "cuda" && (Backend == ManagedNeuralBackend.BackendName || ForbiddenBackends.Contains(NeuralBackends.Torch)))
            yield return "Training:Device is cuda, but only the torch backend runs on a GPU and this worker does not allow it.";
        if (TorchThreads < 0) yield return "Training:TorchThreads must be 0 (all cores) or positive.";
        if (ManagedThreads < 0) yield return "Training:ManagedThreads must be 0 (all cores) or positive.";
    }
}
