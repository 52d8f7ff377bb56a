using Forecasting.Domain;
using Forecasting.Persistence;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Persistence.Tests;

public sealed class DatasetStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static readonly ColumnInfo[] Columns =
    [
        new("day_type", ColumnKind.Categorical, ["A", "U", "W"]),
        ColumnInfo.Numeric("rail"),
    ];

    private static Series MakeSeries(string id, long start, double[] rail, double[] dayType) =>
        new(id, start, rail.Length, new Dictionary<string, double[]> { ["rail"] = rail, ["day_type"] = dayType });

    private static DatasetFrame Panel() => new(Frequency.Daily, Columns,
    [
        MakeSeries("a", 737059, [1.5, double.NaN, -0.0, 1e300], [0, 1, 2, 2]),
        MakeSeries("b", 737060, [7, 8], [2, 2]),
    ]);

    [Fact]
    public async Task Round_trips_a_panel_with_categorical_and_numeric_columns()
    {
        Guid id;
        await using (var db = _database.Open())
        {
            var entity = await new DatasetStore(db).CreateAsync("cta", Panel(), 3, CancellationToken.None);
            id = entity.Id;
            Assert.Equal(6, entity.Rows);
            Assert.Equal(["a", "b"], entity.Series.Select(s => s.Key));
        }
        await using (var db = _database.Open())
        {
            var stored = await db.Datasets.SingleAsync();
            Assert.Equal(("cta", "D", 3), (stored.Name, stored.Frequency, stored.DuplicatesDropped));
            var frame = await new DatasetStore(db).LoadAsync(id, null, null, CancellationToken.None);
            Assert.NotNull(frame);
            Assert.Same(Frequency.Daily, frame.Frequency);
            Assert.Equal(Columns.Select(c => (c.Name, c.Kind, string.Join(",", c.Categories))), frame.Columns.Select(c => (c.Name, c.Kind, string.Join(",", c.Categories))));
            Assert.Equal(["a", "b"], frame.Series.Select(s => s.Id));
            Assert.Equal((737059L, 4), (frame.Series[0].Start, frame.Series[0].Length));
            Assert.Equal([1.5, double.NaN, -0.0, 1e300], frame.Series[0]["rail"]);
            Assert.True(double.IsNegative(frame.Series[0]["rail"][2]));
            Assert.Equal([0, 1, 2, 2], frame.Series[0]["day_type"]);
        }
    }

    [Fact]
    public async Task Loads_selected_series_and_columns()
    {
        await using var db = _database.Open();
        var store = new DatasetStore(db);
        var id = (await store.CreateAsync("cta", Panel(), 0, CancellationToken.None)).Id;
        var frame = await store.LoadAsync(id, ["b"], ["rail", "unknown"], CancellationToken.None);
        var series = Assert.Single(frame!.Series);
        Assert.Equal("b", series.Id);
        Assert.Equal(["rail"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["rail"], series.Columns.Keys);
        Assert.Null(await store.LoadAsync(Guid.NewGuid(), null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_create_leaves_nothing()
    {
        // Two series with one key violate the unique (dataset, key) index while saving.
        var frame = new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("v")],
            [MakeSeriesV("x", [1, 2]), MakeSeriesV("x", [3])]);
        await using (var db = _database.Open())
            await Assert.ThrowsAnyAsync<DbException>(() => new DatasetStore(db).CreateAsync("bad", frame, 0, CancellationToken.None));
        await using (var db = _database.Open())
        {
            Assert.Equal(0, await db.Datasets.CountAsync());
            Assert.Equal(0, await db.Series.CountAsync());
            Assert.Equal(0, await db.SeriesColumns.CountAsync());
        }
    }

    [Fact]
    public async Task Replaces_contents_and_a_failed_replace_keeps_the_old_ones()
    {
        await using var db = _database.Open();
        var store = new DatasetStore(db);
        var id = (await store.CreateAsync("cta", Panel(), 0, CancellationToken.None)).Id;
        var merged = new DatasetFrame(Frequency.Daily, [Columns[0] with { Categories = ["A", "U", "W", "X"] }, Columns[1]],
        [
            MakeSeries("a", 737059, [1.5, 2, 3, 4, 5], [0, 1, 2, 2, 3]),
            MakeSeries("c", 737059, [9], [3]),
        ]);
        await store.ReplaceAsync(id, merged, CancellationToken.None);
        var loaded = await store.LoadAsync(id, null, null, CancellationToken.None);
        Assert.Equal(["a", "c"], loaded!.Series.Select(s => s.Id));
        Assert.Equal([1.5, 2, 3, 4, 5], loaded.Series[0]["rail"]);
        Assert.Equal(["A", "U", "W", "X"], loaded.Column("day_type")!.Categories);
        Assert.Equal(6, (await db.Datasets.SingleAsync()).Rows);
        Assert.Equal(4, await db.SeriesColumns.CountAsync());

        var broken = merged with { Series = [merged.Series[0], merged.Series[0]] };
        await Assert.ThrowsAnyAsync<DbException>(() => store.ReplaceAsync(id, broken, CancellationToken.None));
        var after = await store.LoadAsync(id, null, null, CancellationToken.None);
        Assert.Equal(["a", "c"], after!.Series.Select(s => s.Id));
        Assert.Equal(6, (await db.Datasets.AsNoTracking().SingleAsync()).Rows);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.ReplaceAsync(Guid.NewGuid(), merged, CancellationToken.None));
    }

    private static Series MakeSeriesV(string id, double[] v) => new(id, 0, v.Length, new Dictionary<string, double[]> { ["v"] = v });
}
