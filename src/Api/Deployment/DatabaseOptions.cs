using Forecasting.Persistence;

namespace Forecasting.Api.Deployment;

/// <summary>The <c>Database</c> section; the connection itself is <c>ConnectionStrings:Forecasting</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>sqlite (the one-process default) or postgres (the cluster: app data and job queues in PostgreSQL).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Forecasting") ?? PersistenceSetup.DefaultConnectionString;
}
