using Forecasting.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Persistence.Tests;

/// <summary>A SQLite file in a temporary folder, deleted (with its WAL files) on dispose.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forecasting-db-").FullName;

    public TemporaryDatabase(bool migrate = true)
    {
        ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")}";
        if (!migrate) return;
        using var db = Open();
        PersistenceSetup.MigrateSqlite(db, ConnectionString);
    }

    public string ConnectionString { get; }

    public ForecastingDbContext Open()
    {
        var options = new DbContextOptionsBuilder<ForecastingDbContext>();
        PersistenceSetup.ConfigureSqlite(options, ConnectionString);
        return new ForecastingDbContext(options.Options);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
