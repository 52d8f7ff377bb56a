namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// The backends this host has and its configuration: checks a request's <c>training.backend</c> when it arrives
/// and, on the worker, chooses the backend that trains it (forced, forbidden, auto rule, availability).
/// </summary>
public sealed class NeuralBackends
{
    public const string Auto = "auto";
    public const string Torch = "torch";

    /// <summary>The values of <c>training.backend</c>.</summary>
    public static readonly IReadOnlyList<string> Choices = [Auto, ManagedNeuralBackend.BackendName, Torch];

    /// <summary>A host without the torch backend (tests, tools).</summary>
    public static NeuralBackends ManagedOnly { get; } = new([new ManagedNeuralBackend()], new NeuralBackendOptions());

    private readonly IReadOnlyList<INeuralBackend> _backends;

    public NeuralBackends(IEnumerable<INeuralBackend> backends, NeuralBackendOptions options)
    {
        _backends = backends.ToList();
        Options = options;
        if (Find(ManagedNeuralBackend.BackendName) is null) _backends = [new ManagedNeuralBackend(), .. _backends];
    }

    public NeuralBackendOptions Options { get; }

    private INeuralBackend? Find(string name) => _backends.FirstOrDefault(b => b.Name == name);

    private INeuralBackend Managed => Find(ManagedNeuralBackend.BackendName)!;

    /// <summary>Why a request's backend cannot train this architecture (checked before queueing), or null.</summary>
    public string? Refusal(string? requested, NetworkSpec spec)
    {
        requested ??= Auto;
        if (!Choices.Contains(requested)) return $"training.backend must be one of {string.Join(", ", Choices)}, not '{requested}'.";
        if (requested != Torch) return null;
        if (Find(Torch) is not { } torch) return "training.backend 'torch' is not available: this service was built without the TorchSharp backend.";
        return torch.Unsupported(spec) is { } why ? $"training.backend 'torch' cannot train this model: {why}" : null;
    }

    /// <summary>
    /// The backend that trains a request on this worker, and a sentence saying why it was chosen. Throws
    /// <see cref="ArgumentException"/> (a user error) when the request names a backend this worker cannot run.
    /// </summary>
    public (INeuralBackend Backend, string Reason) Choose(string? requested, NetworkSpec spec, int batchSize)
    {
        requested ??= Auto;
        if (Refusal(requested, spec) is { } refusal) throw new ArgumentException(refusal);
        var forced = string.IsNullOrEmpty(Options.Backend) ? null : Options.Backend;
        if (forced is not null && requested != Auto && requested != forced)
            throw new ArgumentException($"training.backend asks for '{requested}', but this worker trains only on '{forced}' (Training:Backend).");
        if (requested != Auto && Options.ForbiddenBackends.Contains(requested))
            throw new ArgumentException($"training.backend asks for '{requested}', which this worker does not run (Training:ForbiddenBackends).");
        var name = forced ?? requested;
        if (name == Auto)
        {
            var torch = Find(Torch);
            var managedAllowed = !Options.ForbiddenBackends.Contains(ManagedNeuralBackend.BackendName);
            string? againstTorch = torch is null || Options.ForbiddenBackends.Contains(Torch) ? "the torch backend is not allowed on this worker"
                : torch.Unsupported(spec);
            if (againstTorch is null)
            {
                var work = AutoBackendRule.Work(spec, batchSize);
                var managedThreads = Managed is ManagedNeuralBackend managed ? managed.Threads(spec, batchSize).Threads : 1;
                var threshold = AutoBackendRule.Threshold(Options.Device, Options.EffectiveTorchThreads, managedThreads);
                var where = $"{work:0.##e+0} multiply-adds per step and batch; torch on {Options.Device} with {Options.EffectiveTorchThreads} threads against the managed engine's {managedThreads} " +
                    (double.IsPositiveInfinity(threshold) ? "is never chosen on its own" : $"from {threshold:0.##e+0}");
                if (managedAllowed && work < threshold) return (Managed, $"auto: {where}");
                if (torch!.Unavailable() is not { } missing) return (torch, managedAllowed ? $"auto: {where}" : "auto: the only backend this worker allows");
                againstTorch = $"torch cannot run here ({missing})";
            }
            if (!managedAllowed) throw new InvalidOperationException($"This worker forbids the managed backend and cannot train on torch: {againstTorch}.");
            return (Managed, $"auto: {againstTorch}");
        }
        var chosen = Find(name)!;
        if (chosen.Unsupported(spec) is { } why) throw new ArgumentException($"training.backend '{name}' cannot train this model: {why}");
        if (chosen.Unavailable() is { } reason) throw new InvalidOperationException($"The {name} backend cannot run on this worker: {reason}");
        return (chosen, forced is not null ? $"forced by this worker (Training:Backend = {forced})" : "requested");
    }
}
