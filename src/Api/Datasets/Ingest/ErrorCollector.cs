using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Collects ingest problems up to a limit: a user fixing a file wants the first screenful, not 100,000
/// copies of the same mistake, and stopping early keeps a bad upload cheap.
/// </summary>
internal sealed class ErrorCollector(int limit = ErrorCollector.DefaultLimit)
{
    public const int DefaultLimit = 20;

    private readonly List<FieldError> _errors = [];

    public int Count => _errors.Count;

    public bool Any => _errors.Count > 0;

    public bool IsFull => _errors.Count >= limit;

    /// <summary>True when at least one error was not kept because the limit was reached.</summary>
    public bool Truncated { get; private set; }

    public void Add(string field, string message)
    {
        if (_errors.Count < limit) _errors.Add(new FieldError(field, message));
        else Truncated = true;
    }

    public IReadOnlyList<FieldError> ToList()
    {
        if (!Truncated) return _errors.ToList();
        return [.. _errors, new FieldError("file", $"Stopped after {limit} errors; fix these and upload again.")];
    }
}
