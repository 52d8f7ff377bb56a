using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Forecasting.Persistence;

public static class PersistenceSetup
{
    public const string DefaultConnectionString = "Data Source=data/forecasting.db";

    /// <summary>Options for the SQLite database (the embedded default).</summary>
    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString)
            // Migrations are hand-written (no design-time package here), so there is no model snapshot to
            // compare with; MigrationSchemaTests checks the migrated schema against the model instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

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
