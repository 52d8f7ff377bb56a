using System.ComponentModel.DataAnnotations;
using Forecasting.Domain;

namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// The configuration section <c>Training</c>: a worker's neural backends. <c>Training:Backend</c> forces one
/// (managed | torch; empty = as each request asks), <c>Training:ForbiddenBackends</c> lists those this worker
/// refuses, <c>Training:Device</c> is cpu or cuda (torch only), <c>Training:TorchThreads</c> caps torch's CPU
/// threads (0 = the cores), <c>Training:ManagedThreads</c> caps the managed engine's (0 = the cores; it uses several
/// only where a batch's work pays for them, <see cref="ManagedThreadsRule"/>). Validated at start-up; each failure
/// is a sentence naming the key.
/// </summary>
public sealed class TrainingOptions : IValidatableObject
{
    public const string Section = "Training";

    public TrainingBackend? Backend { get; set; }

    public List<TrainingBackend> ForbiddenBackends { get; set; } = [];

    public TrainingDevice Device { get; set; } = TrainingDevice.Cpu;

    [Range(0, int.MaxValue, ErrorMessage = "Training:TorchThreads must be 0 (all cores) or positive.")]
    public int TorchThreads { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = "Training:ManagedThreads must be 0 (all cores) or positive.")]
    public int ManagedThreads { get; set; }

    /// <summary>Torch's CPU threads on this host.</summary>
    public int EffectiveTorchThreads => TorchThreads > 0 ? TorchThreads : Environment.ProcessorCount;

    /// <summary>The most CPU threads the managed engine may use on this host.</summary>
    public int EffectiveManagedThreads => ManagedThreads > 0 ? ManagedThreads : Environment.ProcessorCount;

    /// <summary>Whether this worker may train on the backend (forbidden ones may not).</summary>
    public bool Allows(TrainingBackend backend) => !ForbiddenBackends.Contains(backend);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Backend is TrainingBackend.Auto)
            yield return Error("Training:Backend must be managed or torch (or empty to follow each request), not 'auto'.", nameof(Backend));
        if (ForbiddenBackends.Contains(TrainingBackend.Auto))
            yield return Error("Training:ForbiddenBackends lists 'auto'; the backends are managed and torch.", nameof(ForbiddenBackends));
        if (Backend is { } forced && !Allows(forced))
            yield return Error($"Training:Backend forces '{forced.ToWire()}', which Training:ForbiddenBackends forbids.", nameof(Backend), nameof(ForbiddenBackends));
        if (Device == TrainingDevice.Cuda && (Backend == TrainingBackend.Managed || !Allows(TrainingBackend.Torch)))
            yield return Error("Training:Device is cuda, but only the torch backend runs on a GPU and this worker does not allow it.", nameof(Device));
    }

    private static ValidationResult Error(string message, params string[] members) => new(message, members);
}
