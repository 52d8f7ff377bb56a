using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// Job rows carry their model kind and work queue, and schedules their dataset, as columns (they were read by
/// deserialising the stored request). Existing rows are filled from that JSON: SQLite's json_extract, PostgreSQL's
/// jsonb operators. The statistical kinds are those of this version (later kinds are written by the service).
/// Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261205010000_AddJobKindQueueAndScheduleDataset")]
public sealed class AddJobKindQueueAndScheduleDataset : Migration
{
    private static readonly string[] JobTables = ["training_runs", "backtests"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var postgres = migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL";
        foreach (var table in JobTables)
        {
            migrationBuilder.AddColumn<string>("Kind", table, maxLength: 64, nullable: false, defaultValue: "");
            migrationBuilder.AddColumn<string>("Queue", table, maxLength: 32, nullable: false, defaultValue: "");
            var kind = postgres ? """("SpecJson"::jsonb -> 'model' ->> 'kind')""" : """json_extract("SpecJson", '$.model.kind')""";
            migrationBuilder.Sql($"""UPDATE {table} SET "Kind" = COALESCE({kind}, '');""");
            migrationBuilder.Sql($"""
                UPDATE {table} SET "Queue" = CASE WHEN "Kind" IN ('naive', 'seasonal_naive', 'sarima', 'auto_sarima')
                    THEN 'statistical' ELSE 'neural' END;
                """);
            // The default only filled the existing rows; the model has none (SQLite cannot drop one, and its schema does not compare them).
            if (postgres) migrationBuilder.Sql($"""ALTER TABLE {table} ALTER COLUMN "Kind" DROP DEFAULT, ALTER COLUMN "Queue" DROP DEFAULT;""");
        }

        migrationBuilder.AddColumn<Guid>("DatasetId", "schedules", nullable: false, defaultValue: Guid.Empty);
        // EF stores a Guid on SQLite as upper-case text; the JSON has it in lower case.
        migrationBuilder.Sql(postgres
            ? """UPDATE schedules SET "DatasetId" = ("SpecJson"::jsonb ->> 'datasetId')::uuid;"""
            : """UPDATE schedules SET "DatasetId" = upper(json_extract("SpecJson", '$.datasetId'));""");
        if (postgres) migrationBuilder.Sql("""ALTER TABLE schedules ALTER COLUMN "DatasetId" DROP DEFAULT;""");
        migrationBuilder.CreateIndex("IX_schedules_DatasetId", "schedules", "DatasetId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_schedules_DatasetId", "schedules");
        migrationBuilder.DropColumn("DatasetId", "schedules");
        foreach (var table in JobTables)
        {
            migrationBuilder.DropColumn("Queue", table);
            migrationBuilder.DropColumn("Kind", table);
        }
    }
}
