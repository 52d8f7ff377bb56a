using Forecasting.Domain;

namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// The backends this host has and its configuration: checks a request's <c>training.backend</c> when it arrives
/// and, on the worker, chooses the backend that trains it (forced, forbidden, auto rule, availability).
/// </summary>
public sealed class NeuralBackends
{
    /// <summary>A host without the torch backend (tests, tools).</summary>
    public static NeuralBackends ManagedOnly { get; } = new([new ManagedNeuralBackend()], new TrainingOptions());

    private readonly IReadOnlyList<INeuralBackend> _backends;

    public NeuralBackends(IEnumerable<INeuralBackend> backends, TrainingOptions options)
    {
        _backends = backends.ToList();
        Options = options;
        if (Find(TrainingBackend.Managed) is null) _backends = [new ManagedNeuralBackend(), .. _backends];
    }

    public TrainingOptions Options { get; }

    private INeuralBackend? Find(TrainingBackend kind) => _backends.FirstOrDefault(b => b.Kind == kind);

    private INeuralBackend Managed => Find(TrainingBackend.Managed)!;

    /// <summary>Why a request's backend cannot train this architecture (checked before queueing), or null.</summary>
    public string? Refusal(TrainingBackend requested, NetworkSpec spec)
    {
        if (requested != TrainingBackend.Torch) return null;
        if (Find(TrainingBackend.Torch) is not { } torch) return "training.backend 'torch' is not available: this service was built without the TorchSharp backend.";
        return torch.Unsupported(spec) is { } why ? $"training.backend 'torch' cannot train this model: {why}" : null;
    }

    /// <summary>
    /// The backend that trains a request on this worker, and a sentence saying why it was chosen. Throws
    /// <see cref="ArgumentException"/> (a user error) when the request names a backend this worker cannot run.
    /// </summary>
    public (INeuralBackend Backend, string Reason) Choose(TrainingBackend requested, NetworkSpec spec, int batchSize)
    {
        if (Refusal(requested, spec) is { } refusal) throw new ArgumentException(refusal);
        var forced = Options.Backend;
        if (forced is not null && requested != TrainingBackend.Auto && requested != forced)
            throw new ArgumentException($"training.backend asks for '{requested.ToWire()}', but this worker trains only on '{forced.Value.ToWire()}' (Training:Backend).");
        if (requested != TrainingBackend.Auto && !Options.Allows(requested))
            throw new ArgumentException($"training.backend asks for '{requested.ToWire()}', which this worker does not run (Training:ForbiddenBackends).");
        var kind = forced ?? requested;
        if (kind == TrainingBackend.Auto)
        {
            var torch = Find(TrainingBackend.Torch);
            var managedAllowed = Options.Allows(TrainingBackend.Managed);
            string? againstTorch = torch is null || !Options.Allows(TrainingBackend.Torch) ? "the torch backend is not allowed on this worker"
                : torch.Unsupported(spec);
            if (againstTorch is null)
            {
                var work = AutoBackendRule.Work(spec, batchSize);
                var managedThreads = Managed is ManagedNeuralBackend managed ? managed.Threads(spec, batchSize).Threads : 1;
                var threshold = AutoBackendRule.Threshold(Options.Device, Options.EffectiveTorchThreads, managedThreads);
                var where = $"{work:0.##e+0} multiply-adds per step and batch; torch on {Options.Device.ToWire()} with {Options.EffectiveTorchThreads} threads against the managed engine's {managedThreads} " +
                    (double.IsPositiveInfinity(threshold) ? "is never chosen on its own" : $"from {threshold:0.##e+0}");
                if (managedAllowed && work < threshold) return (Managed, $"auto: {where}");
                if (torch!.Unavailable() is not { } missing) return (torch, managedAllowed ? $"auto: {where}" : "auto: the only backend this worker allows");
                againstTorch = $"torch cannot run here ({missing})";
            }
            if (!managedAllowed) throw new InvalidOperationException($"This worker forbids the managed backend and cannot train on torch: {againstTorch}.");
            return (Managed, $"auto: {againstTorch}");
        }
        var chosen = Find(kind)!;
        if (chosen.Unsupported(spec) is { } why) throw new ArgumentException($"training.backend '{kind.ToWire()}' cannot train this model: {why}");
        if (chosen.Unavailable() is { } reason) throw new InvalidOperationException($"The {kind.ToWire()} backend cannot run on this worker: {reason}");
        return (chosen, forced is not null ? $"forced by this worker (Training:Backend = {forced.Value.ToWire()})" : "requested");
    }
}
