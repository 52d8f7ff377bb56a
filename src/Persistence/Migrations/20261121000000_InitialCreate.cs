using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// The first schema. Written by hand: the EF design-time package does not restore here, so there is no
/// model snapshot; MigrationSchemaTests checks that the migrated schema equals the one the model describes.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261121000000_InitialCreate")]
public sealed class InitialCreate : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "datasets",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                Frequency = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                ColumnsJson = table.Column<string>(type: "TEXT", nullable: false),
                Rows = table.Column<long>(type: "INTEGER", nullable: false),
                DuplicatesDropped = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_datasets", x => x.Id));

        migrationBuilder.CreateTable(
            name: "series",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                DatasetId = table.Column<Guid>(type: "TEXT", nullable: false),
                Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                Start = table.Column<long>(type: "INTEGER", nullable: false),
                Length = table.Column<int>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_series", x => x.Id);
                table.ForeignKey("FK_series_datasets_DatasetId", x => x.DatasetId, "datasets", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "series_columns",
            columns: table => new
            {
                SeriesId = table.Column<long>(type: "INTEGER", nullable: false),
                Column = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                Values = table.Column<byte[]>(type: "BLOB", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_series_columns", x => new { x.SeriesId, x.Column });
                table.ForeignKey("FK_series_columns_series_SeriesId", x => x.SeriesId, "series", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "training_runs",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                DatasetId = table.Column<Guid>(type: "TEXT", nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                Epochs = table.Column<int>(type: "INTEGER", nullable: false),
                TrainLoss = table.Column<double>(type: "REAL", nullable: true),
                ValidMae = table.Column<double>(type: "REAL", nullable: true),
                Error = table.Column<string>(type: "TEXT", nullable: true),
                ModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                ScheduleId = table.Column<Guid>(type: "TEXT", nullable: true),
                Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_training_runs", x => x.Id));

        migrationBuilder.CreateTable(
            name: "models",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                TrainingRunId = table.Column<Guid>(type: "TEXT", nullable: false),
                DatasetId = table.Column<Guid>(type: "TEXT", nullable: false),
                Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                MetricsJson = table.Column<string>(type: "TEXT", nullable: false),
                HistoryJson = table.Column<string>(type: "TEXT", nullable: false),
                DetailsJson = table.Column<string>(type: "TEXT", nullable: true),
                ParameterCount = table.Column<long>(type: "INTEGER", nullable: false),
                TrainingSeconds = table.Column<double>(type: "REAL", nullable: false),
                StateFormat = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                State = table.Column<byte[]>(type: "BLOB", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_models", x => x.Id));

        migrationBuilder.CreateIndex("IX_datasets_CreatedAt", "datasets", "CreatedAt");
        migrationBuilder.CreateIndex("IX_series_DatasetId_Key", "series", ["DatasetId", "Key"], unique: true);
        migrationBuilder.CreateIndex("IX_training_runs_Status", "training_runs", "Status");
        migrationBuilder.CreateIndex("IX_training_runs_DatasetId", "training_runs", "DatasetId");
        migrationBuilder.CreateIndex("IX_training_runs_CreatedAt", "training_runs", "CreatedAt");
        migrationBuilder.CreateIndex("IX_models_TrainingRunId", "models", "TrainingRunId", unique: true);
        migrationBuilder.CreateIndex("IX_models_DatasetId", "models", "DatasetId");
        migrationBuilder.CreateIndex("IX_models_CreatedAt", "models", "CreatedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "models", "training_runs", "series_columns", "series", "datasets" })
            migrationBuilder.DropTable(table);
    }
}
