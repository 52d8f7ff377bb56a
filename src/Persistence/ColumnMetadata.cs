using System.Text.Json;
using Forecasting.Domain;

namespace Forecasting.Persistence;

/// <summary>
/// <see cref="Entities.DatasetEntity.ColumnsJson"/>: the columns' names, kinds and categories as
/// <c>[{"name":"day_type","kind":"categorical","categories":["A","U","W"]}, …]</c>.
/// </summary>
public static class ColumnMetadata
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private sealed record Entry(string Name, ColumnKind Kind, IReadOnlyList<string>? Categories);

    public static string Serialize(IReadOnlyList<ColumnInfo> columns) =>
        JsonSerializer.Serialize(columns.Select(c => new Entry(c.Name, c.Kind, c.Kind == ColumnKind.Categorical ? c.Categories : null)), Options);

    public static IReadOnlyList<ColumnInfo> Deserialize(string json) =>
        (JsonSerializer.Deserialize<List<Entry>>(json, Options) ?? throw new InvalidDataException("The column metadata is empty."))
        .Select(e => new ColumnInfo(e.Name, e.Kind, e.Categories ?? []))
        .ToList();
}
