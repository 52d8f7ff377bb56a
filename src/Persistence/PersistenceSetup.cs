using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Forecasting.Persistence;

public static class PersistenceSetup
{
    public const string DefaultConnectionString = "Data Source=data/forecasting.db";

    /// <summary>Options for the given provider; both read the same provider-neutral migrations.</summary>
    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres) options.UseNpgsql(connectionString);
        else options.UseSqlite(connectionString);
        // Migrations are hand-written (no design-time package here), so there is no model snapshot to
        // compare with; MigrationSchemaTests checks the migrated schema against the model instead.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>Options for the SQLite database (the embedded default).</summary>
    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        Configure(options, DatabaseProvider.Sqlite, connectionString);

    /// <summary>Applies migrations; for SQLite, creates the file's folder first and turns on WAL (set once, kept by the file).</summary>
    public static void Migrate(ForecastingDbContext db, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            // EF Core 9+ takes a migration lock, so several processes starting together migrate once.
            db.Database.Migrate();
            return;
        }
        MigrateSqlite(db, connectionString);
    }

    /// <summary>Creates the database file's folder, applies migrations and turns on WAL (set once, kept by the file).</summary>
    public static void MigrateSqlite(ForecastingDbContext db, string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}
