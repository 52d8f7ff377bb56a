using Forecasting.Persistence;
using Microsoft.Data.Sqlite;

namespace Forecasting.Persistence.Tests;

/// <summary>
/// The migration is written by hand (no EF design-time package here): the schema it creates must equal the
/// one EnsureCreated derives from the model, table by table, column by column and index by index
/// (EF's own bookkeeping tables, __EFMigrationsHistory and __EFMigrationsLock, are left out).
/// </summary>
public sealed class MigrationSchemaTests
{
    [Fact]
    public void The_migrated_schema_equals_the_models_schema()
    {
        using var fromModel = new TemporaryDatabase(migrate: false);
        using (var db = fromModel.Open()) Assert.True(db.Database.EnsureCreated());
        using var migrated = new TemporaryDatabase(migrate: true);

        var expected = ReadSchema(fromModel.ConnectionString);
        var actual = ReadSchema(migrated.ConnectionString);
        Assert.Equal(["backtests", "datasets", "forecaster_changes", "forecasters", "models", "schedules", "series", "series_columns", "training_runs"], expected.Keys.Order());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains("index IX_series_DatasetId_Key unique=1 origin=c (DatasetId, Key)", expected["series"]);
        Assert.Contains("fk SeriesId -> series.Id on_delete=CASCADE", expected["series_columns"]);
        foreach (var table in expected.Keys)
            Assert.Equal(expected[table], actual[table]);
    }

    /// <summary>Per table: its columns (name, type, notnull, pk), foreign keys and indexes (name, unique, columns), as sorted lines.</summary>
    private static Dictionary<string, List<string>> ReadSchema(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock')")
            .Select(r => (string)r[0]!).ToList();
        var schema = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var lines = new List<string>();
            foreach (var c in Query(connection, $"PRAGMA table_info(\"{table}\")"))
                lines.Add($"column {c[1]} {c[2]} notnull={c[3]} pk={c[5]}");
            foreach (var f in Query(connection, $"PRAGMA foreign_key_list(\"{table}\")"))
                lines.Add($"fk {f[3]} -> {f[2]}.{f[4]} on_delete={f[6]}");
            foreach (var index in Query(connection, $"PRAGMA index_list(\"{table}\")"))
            {
                var name = (string)index[1]!;
                var columns = Query(connection, $"PRAGMA index_info(\"{name}\")").Select(r => (string)r[2]!);
                lines.Add($"index {name} unique={index[2]} origin={index[3]} ({string.Join(", ", columns)})");
            }
            lines.Sort(StringComparer.Ordinal);
            schema[table] = lines;
        }
        return schema;
    }

    private static List<object?[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }
}
