using System.Text.Json;
using Forecasting.Domain;

namespace Forecasting.Persistence;

/// <summary>
/// <see cref="Entities.DatasetEntity.ColumnsJson"/>: the columns' names, kinds and categories as
/// <c>[{"name":"day_type","kind":"categorical","categories":["A","U","W"]}, {"name":"rides","kind":"numeric","bounds":{"lower":0}}, …]</c>.
/// </summary>
public static class ColumnMetadata
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private sealed record Entry(string Name, ColumnKind Kind, IReadOnlyList<string>? Categories, ForecastBounds? Bounds);

    public static string Serialize(IReadOnlyList<ColumnInfo> columns) =>
        JsonSerializer.Serialize(columns.Select(c => new Entry(c.Name, c.Kind, c.Kind == ColumnKind.Categorical ? c.Categories : null, c.Bounds)), Options);

    public static IReadOnlyList<ColumnInfo> Deserialize(string json) =>
        (JsonSerializer.Deserialize<List<Entry>>(json, Options) ?? throw new InvalidDataException("The column metadata is empty."))
        .Select(e => new ColumnInfo(e.Name, e.Kind, e.Categories ?? [], e.Bounds))
        .ToList();
}
