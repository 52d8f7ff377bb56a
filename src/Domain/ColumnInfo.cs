namespace Forecasting.Domain;

/// <summary>A named column of a dataset. Categorical values are stored as codes into <see cref="Categories"/>.</summary>
public sealed record ColumnInfo(string Name, ColumnKind Kind, IReadOnlyList<string> Categories)
{
    public static ColumnInfo Numeric(string name) => new(name, ColumnKind.Numeric, []);
}
