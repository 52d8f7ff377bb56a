namespace Forecasting.Domain;

/// <summary>
/// A named column of a dataset. Categorical values are stored as codes into <see cref="Categories"/>. <see cref="Bounds"/>:
/// the values a numeric column can take, declared at upload; its observations lie within them, and a run on it as a
/// target serves forecasts clipped to them unless the request gives its own.
/// </summary>
public sealed record ColumnInfo(string Name, ColumnKind Kind, IReadOnlyList<string> Categories, ForecastBounds? Bounds = null)
{
    public static ColumnInfo Numeric(string name) => new(name, ColumnKind.Numeric, []);
}
