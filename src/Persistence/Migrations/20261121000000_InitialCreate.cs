using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// The first schema. Written by hand: the EF design-time package does not restore here, so there is no
/// model snapshot; MigrationSchemaTests checks that the migrated schema equals the one the model describes.
/// Provider-neutral (SQLite and PostgreSQL): columns name no store type, so each provider maps the CLR type as
/// its model does; provider-specific annotations (identity columns) are given for both and ignored by the other.
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
                Id = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 200, nullable: false),
                Frequency = table.Column<string>(maxLength: 8, nullable: false),
                ColumnsJson = table.Column<string>(nullable: false),
                Rows = table.Column<long>(nullable: false),
                DuplicatesDropped = table.Column<int>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_datasets", x => x.Id));

        migrationBuilder.CreateTable(
            name: "series",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                DatasetId = table.Column<Guid>(nullable: false),
                Key = table.Column<string>(maxLength: 200, nullable: false),
                Start = table.Column<long>(nullable: false),
                Length = table.Column<int>(nullable: false),
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
                SeriesId = table.Column<long>(nullable: false),
                Column = table.Column<string>(maxLength: 200, nullable: false),
                Values = table.Column<byte[]>(nullable: false),
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
                Id = table.Column<Guid>(nullable: false),
                DatasetId = table.Column<Guid>(nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                SpecJson = table.Column<string>(nullable: false),
                Epoch = table.Column<int>(nullable: false),
                Epochs = table.Column<int>(nullable: false),
                TrainLoss = table.Column<double>(nullable: true),
                ValidMae = table.Column<double>(nullable: true),
                Error = table.Column<string>(nullable: true),
                ModelId = table.Column<Guid>(nullable: true),
                ScheduleId = table.Column<Guid>(nullable: true),
                Attempts = table.Column<int>(nullable: false),
                CancelRequested = table.Column<bool>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                StartedAt = table.Column<long>(nullable: true),
                FinishedAt = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_training_runs", x => x.Id));

        migrationBuilder.CreateTable(
            name: "models",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TrainingRunId = table.Column<Guid>(nullable: false),
                DatasetId = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                SpecJson = table.Column<string>(nullable: false),
                MetricsJson = table.Column<string>(nullable: false),
                HistoryJson = table.Column<string>(nullable: false),
                DetailsJson = table.Column<string>(nullable: true),
                ParameterCount = table.Column<long>(nullable: false),
                TrainingSeconds = table.Column<double>(nullable: false),
                StateFormat = table.Column<string>(maxLength: 64, nullable: false),
                State = table.Column<byte[]>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
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
