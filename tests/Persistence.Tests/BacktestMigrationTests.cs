using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Persistence.Tests;

/// <summary>
/// The hand-written AddBacktests migration creates the backtests table exactly as the model describes it
/// (columns, types, nullability, key, indexes), compared with EnsureCreated's schema.
/// </summary>
public sealed class BacktestMigrationTests
{
    [Fact]
    public void The_migrated_backtests_table_equals_the_models()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-backtests-").FullName;
        try
        {
            var fromModel = $"Data Source={Path.Combine(folder, "model.db")}";
            var migrated = $"Data Source={Path.Combine(folder, "migrated.db")}";
            using (var db = Open(fromModel)) Assert.True(db.Database.EnsureCreated());
            using (var db = Open(migrated)) PersistenceSetup.MigrateSqlite(db, migrated);

            var expected = Describe(fromModel, "backtests");
            Assert.Contains("column ForecastsJson TEXT notnull=0 pk=0", expected);
            Assert.Contains("index IX_backtests_CreatedAt unique=0 (CreatedAt)", expected);
            Assert.Equal(expected, Describe(migrated, "backtests"));
            using (var db = Open(migrated))
                Assert.Contains("20261121010000_AddBacktests", db.Database.GetAppliedMigrations());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static ForecastingDbContext Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ForecastingDbContext>();
        PersistenceSetup.ConfigureSqlite(options, connectionString);
        return new ForecastingDbContext(options.Options);
    }

    /// <summary>The table's columns (name, type, notnull, pk) and indexes (name, unique, columns), as sorted lines.</summary>
    private static List<string> Describe(string connectionString, string table)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var lines = new List<string>();
        foreach (var c in Rows(connection, $"PRAGMA table_info(\"{table}\")"))
            lines.Add($"column {c[1]} {c[2]} notnull={c[3]} pk={c[5]}");
        foreach (var index in Rows(connection, $"PRAGMA index_list(\"{table}\")"))
        {
            var name = (string)index[1]!;
            lines.Add($"index {name} unique={index[2]} ({string.Join(", ", Rows(connection, $"PRAGMA index_info(\"{name}\")").Select(r => (string)r[2]!))})");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static List<object?[]> Rows(SqliteConnection connection, string sql)
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
