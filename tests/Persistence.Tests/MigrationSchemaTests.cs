using Forecasting.Persistence;
using Forecasting.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Forecasting.Persistence.Tests;

/// <summary>
/// The migration is written by hand (no EF design-time package here): the schema it creates must equal the
/// one EnsureCreated derives from the model, table by table, column by column and index by index
/// (EF's own bookkeeping tables, __EFMigrationsHistory and __EFMigrationsLock, are left out). The migrations are
/// provider-neutral, so the same holds on PostgreSQL.
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
        Assert.Equal(["anomaly_flags", "api_keys", "audit_events", "backtests", "checkpoints", "datasets", "drift_events", "drift_rules", "forecast_records", "forecaster_changes", "forecasters", "model_series", "models", "schedules", "series", "series_columns", "training_runs"], expected.Keys.Order());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains("index IX_series_DatasetId_Key unique=1 origin=c (DatasetId, Key)", expected["series"]);
        Assert.Contains("fk SeriesId -> series.Id on_delete=CASCADE", expected["series_columns"]);
        foreach (var table in expected.Keys)
            Assert.Equal(expected[table], actual[table]);
    }

    [PostgresFact]
    public async Task On_PostgreSQL_the_migrated_schema_equals_the_models_schema()
    {
        await using var server = await PrivatePostgres.StartAsync();
        var fromModel = await server.CreateDatabaseAsync("from_model");
        var migrated = await server.CreateDatabaseAsync("migrated");
        await using (var db = OpenPostgres(fromModel)) Assert.True(await db.Database.EnsureCreatedAsync());
        await using (var db = OpenPostgres(migrated)) PersistenceSetup.Migrate(db, DatabaseProvider.Postgres, migrated);

        var expected = await ReadPostgresSchemaAsync(fromModel);
        var actual = await ReadPostgresSchemaAsync(migrated);
        Assert.Equal(["anomaly_flags", "api_keys", "audit_events", "backtests", "checkpoints", "datasets", "drift_events", "drift_rules", "forecast_records", "forecaster_changes", "forecasters", "model_series", "models", "schedules", "series", "series_columns", "training_runs"], expected.Keys.Order());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains("column Id uuid null=NO length= default= identity=", expected["training_runs"]);
        Assert.Contains("column CreatedAt bigint null=NO length= default= identity=", expected["training_runs"]);
        Assert.Contains("column Id bigint null=NO length= default= identity=BY DEFAULT", expected["series"]);
        foreach (var table in expected.Keys)
            Assert.Equal(expected[table], actual[table]);

        // Timestamps (stored as ticks) and Guids round-trip through the migrated database.
        var id = Guid.NewGuid();
        var created = new DateTimeOffset(2026, 11, 26, 12, 34, 56, TimeSpan.Zero);
        await using (var db = OpenPostgres(migrated))
        {
            db.Schedules.Add(new Entities.ScheduleEntity { Id = id, Cron = "0 3 * * *", TimeZone = "UTC", SpecJson = "{}", Promote = Entities.PromotePolicy.Never, DataEnd = 7, CreatedAt = created });
            await db.SaveChangesAsync();
        }
        await using (var db = OpenPostgres(migrated))
        {
            var stored = await db.Schedules.SingleAsync(s => s.Id == id && s.CreatedAt >= created);
            Assert.Equal(created, stored.CreatedAt);
        }
    }

    private static ForecastingDbContext OpenPostgres(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ForecastingDbContext>();
        PersistenceSetup.Configure(options, DatabaseProvider.Postgres, connectionString);
        return new ForecastingDbContext(options.Options);
    }

    /// <summary>Per table of the public schema: columns (type, nullability, length, default, identity), constraints and indexes, as sorted lines.</summary>
    private static async Task<Dictionary<string, List<string>>> ReadPostgresSchemaAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var schema = new Dictionary<string, List<string>>();
        async Task AddAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var table = reader.GetString(0);
                if (table.StartsWith("__EF", StringComparison.Ordinal)) continue;
                if (!schema.TryGetValue(table, out var lines)) schema[table] = lines = [];
                lines.Add(reader.GetString(1));
            }
        }
        await AddAsync("""
            SELECT table_name, 'column ' || column_name || ' ' || data_type || ' null=' || is_nullable || ' length=' || coalesce(character_maximum_length::text, '')
                   || ' default=' || coalesce(column_default, '') || ' identity=' || coalesce(identity_generation, '')
            FROM information_schema.columns WHERE table_schema = 'public'
            """);
        await AddAsync("""
            SELECT cl.relname, 'constraint ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE n.nspname = 'public'
            """);
        await AddAsync("SELECT tablename, 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'");
        foreach (var lines in schema.Values) lines.Sort(StringComparer.Ordinal);
        return schema;
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
