using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>The model kinds the service offers, by API name.</summary>
public sealed class ModelKindRegistry(IEnumerable<IModelKind> kinds)
{
    private readonly Dictionary<string, IModelKind> _kinds = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _kinds.Keys;

    /// <summary>Every kind, in registration order.</summary>
    public IEnumerable<IModelKind> All => _kinds.Values;

    public IModelKind? Find(string? name) => name is not null && _kinds.TryGetValue(name, out var kind) ? kind : null;

    public IModelKind Get(string name) => Find(name) ?? throw new KeyNotFoundException($"Unknown model kind '{name}'.");

    /// <summary>The work queue of a kind's runs and backtests.</summary>
    public WorkQueue QueueOf(string kindName) => Get(kindName).Traits.Queue;
}
