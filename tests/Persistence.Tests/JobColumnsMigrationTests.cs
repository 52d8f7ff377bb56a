using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Forecasting.Persistence.Tests;

/// <summary>
/// The migration that added the Kind and Queue columns to job rows and DatasetId to schedules fills them for rows
/// written before it, from their stored request JSON.
/// </summary>
public sealed class JobColumnsMigrationTests
{
    private const string Previous = "20261126050000_AddJobDispatchIds";

    [Fact]
    public async Task On_SQLite_rows_written_before_the_migration_get_their_kind_queue_and_dataset()
    {
        using var database = new TemporaryDatabase(migrate: false);
        // As the previous version wrote them on SQLite: EF's upper-case Guid text.
        await FillsOldRowsAsync(database.Open, id => id.ToString().ToUpperInvariant());
    }

    [PostgresFact]
    public async Task On_PostgreSQL_rows_written_before_the_migration_get_their_kind_queue_and_dataset()
    {
        await using var server = await PrivatePostgres.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("job_columns");
        ForecastingDbContext Open()
        {
            var options = new DbContextOptionsBuilder<ForecastingDbContext>();
            PersistenceSetup.Configure(options, DatabaseProvider.Postgres, connectionString);
            return new ForecastingDbContext(options.Options);
        }
        await FillsOldRowsAsync(Open, id => id);
    }

    /// <summary>Migrates to the version before, writes rows as it wrote them, migrates the rest of the way and reads the new columns.</summary>
    private static async Task FillsOldRowsAsync(Func<ForecastingDbContext> open, Func<Guid, object> stored)
    {
        var datasetId = Guid.NewGuid();
        var (neuralRun, statisticalRun, backtest, schedule) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var db = open())
        {
            await db.GetService<IMigrator>().MigrateAsync(Previous);
            // The request JSON in camelCase, as the previous version serialised it.
            string Spec(string kind) => $$"""{"datasetId":"{{datasetId}}","model":{"kind":"{{kind}}"},"horizon":1}""";
            var created = new DateTimeOffsetToBinaryConverter().ConvertToProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO training_runs ("Id", "DatasetId", "Status", "SpecJson", "Epoch", "Epochs", "Attempts", "CancelRequested", "CreatedAt")
                VALUES ({0}, {1}, 'queued', {2}, 0, 5, 0, {6}, {5}), ({3}, {1}, 'succeeded', {4}, 1, 1, 1, {6}, {5});
                """,
                stored(neuralRun), stored(datasetId), Spec("lstm"), stored(statisticalRun), Spec("auto_sarima"), created!, false);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO backtests ("Id", "DatasetId", "Status", "SpecJson", "Done", "Total", "Attempts", "CancelRequested", "CreatedAt")
                VALUES ({0}, {1}, 'running', {2}, 0, 3, 1, {4}, {3});
                """,
                stored(backtest), stored(datasetId), Spec("seasonal_naive"), created!, false);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO schedules ("Id", "Cron", "TimeZone", "SpecJson", "Promote", "DataEnd", "CreatedAt")
                VALUES ({0}, '0 3 * * *', 'UTC', {1}, 'if_better', 7, {2});
                """,
                stored(schedule), Spec("gru"), created!);

            await db.GetService<IMigrator>().MigrateAsync();
        }

        await using (var db = open())
        {
            var runs = await db.TrainingRuns.AsNoTracking().ToDictionaryAsync(r => r.Id);
            Assert.Equal(("lstm", WorkQueue.Neural, JobStatus.Queued), (runs[neuralRun].Kind, runs[neuralRun].Queue, runs[neuralRun].Status));
            Assert.Equal(("auto_sarima", WorkQueue.Statistical, JobStatus.Succeeded), (runs[statisticalRun].Kind, runs[statisticalRun].Queue, runs[statisticalRun].Status));
            var filled = await db.Backtests.AsNoTracking().SingleAsync(b => b.Id == backtest);
            Assert.Equal(("seasonal_naive", WorkQueue.Statistical), (filled.Kind, filled.Queue));
            // Found by the column, as dataset deletion looks for a dataset's schedules.
            var found = await db.Schedules.AsNoTracking().SingleAsync(s => s.DatasetId == datasetId);
            Assert.Equal((schedule, PromotePolicy.IfBetter), (found.Id, found.Promote));
        }
    }
}
