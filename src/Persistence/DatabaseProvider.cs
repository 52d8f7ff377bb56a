using System.Text.Json.Serialization;

namespace Forecasting.Persistence;

/// <summary>Where the service keeps its data (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file: the one-process default.</summary>
    [JsonStringEnumMemberName("sqlite")] Sqlite,

    /// <summary>PostgreSQL: the cluster mode, shared by any number of API and worker processes.</summary>
    [JsonStringEnumMemberName("postgres")] Postgres,
}
