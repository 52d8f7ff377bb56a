using Forecasting.Domain;
using Forecasting.Persistence;

namespace Forecasting.Persistence.Tests;

public sealed class ValueBlobTests
{
    [Fact]
    public void Encodes_little_endian_float64()
    {
        Assert.Equal([0, 0, 0, 0, 0, 0, 0xF0, 0x3F], ValueBlob.Encode([1.0]));
        double[] values = [0, -1.25, double.NaN, double.MaxValue, 1e-300];
        Assert.Equal(values, ValueBlob.Decode(ValueBlob.Encode(values)));
        Assert.Empty(ValueBlob.Decode([]));
        Assert.Throws<InvalidDataException>(() => ValueBlob.Decode(new byte[7]));
    }

    [Fact]
    public void Column_metadata_round_trips()
    {
        ColumnInfo[] columns = [new("day_type", ColumnKind.Categorical, ["A", "U", "W"]), ColumnInfo.Numeric("rail")];
        var json = ColumnMetadata.Serialize(columns);
        Assert.Contains("\"kind\":\"categorical\"", json);
        var back = ColumnMetadata.Deserialize(json);
        Assert.Equal(columns.Select(c => (c.Name, c.Kind, string.Join(",", c.Categories))), back.Select(c => (c.Name, c.Kind, string.Join(",", c.Categories))));
    }
}
