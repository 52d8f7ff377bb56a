namespace Forecasting.Tests.Shared;

/// <summary>A fact that needs PostgreSQL (<see cref="PrivatePostgres"/>): skipped with the reason where it cannot run, unless CI requires it.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PrivatePostgres.Unavailable() is { } reason && !PrivatePostgres.Required)
            Skip = $"{reason} Set {PrivatePostgres.RequireVariable}=1 to make this a failure.";
    }
}
