namespace Forecasting.Domain;

/// <summary>
/// One regular series of a panel: a start point, a length, and one value array per column
/// (categorical columns hold category codes as numbers). Gaps are never stored: ingest rejects them.
/// </summary>
public sealed class Series
{
    public Series(string id, long start, int length, IReadOnlyDictionary<string, double[]> columns)
    {
        foreach (var (name, values) in columns)
            if (values.Length != length) throw new ArgumentException($"Column '{name}' has {values.Length} values, expected {length}.");
        (Id, Start, Length, Columns) = (id, start, length, columns);
    }

    public string Id { get; }

    /// <summary>Ordinal of the first point (see <see cref="Frequency"/>).</summary>
    public long Start { get; }

    public int Length { get; }

    public IReadOnlyDictionary<string, double[]> Columns { get; }

    public double[] this[string column] => Columns.TryGetValue(column, out var values)
        ? values : throw new KeyNotFoundException($"Series '{Id}' has no column '{column}'.");

    public long End(Frequency frequency) => frequency.Add(Start, Length - 1);

    /// <summary>Index of a time point, or -1 when it lies outside the series or between steps.</summary>
    public int IndexOf(long ordinal, Frequency frequency)
    {
        if (!frequency.IsAligned(Start, ordinal)) return -1;
        var index = frequency.StepsBetween(Start, ordinal);
        return index >= 0 && index < Length ? (int)index : -1;
    }
}
