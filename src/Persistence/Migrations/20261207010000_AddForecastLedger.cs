using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// The forecast ledger (recorded forecasts, scored when their targets are observed), forecasters' drift rules and
/// their drift events. Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261207010000_AddForecastLedger")]
public sealed class AddForecastLedger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "forecast_records",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ForecasterId = table.Column<Guid>(nullable: true),
                ModelId = table.Column<Guid>(nullable: false),
                DatasetId = table.Column<Guid>(nullable: false),
                Series = table.Column<string>(maxLength: 200, nullable: false),
                Target = table.Column<string>(maxLength: 200, nullable: false),
                Frequency = table.Column<string>(maxLength: 16, nullable: false),
                Origin = table.Column<long>(nullable: false),
                Step = table.Column<int>(nullable: false),
                Timestamp = table.Column<long>(nullable: false),
                Mean = table.Column<double>(nullable: false),
                Lower80 = table.Column<double>(nullable: true),
                Upper80 = table.Column<double>(nullable: true),
                Lower95 = table.Column<double>(nullable: true),
                Upper95 = table.Column<double>(nullable: true),
                MaseScale = table.Column<double>(nullable: true),
                RecordedAt = table.Column<long>(nullable: false),
                Actual = table.Column<double>(nullable: true),
                ScoredAt = table.Column<long>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_forecast_records", x => x.Id);
                table.ForeignKey("FK_forecast_records_forecasters_ForecasterId", x => x.ForecasterId, "forecasters", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_forecast_records_DatasetId_ScoredAt", "forecast_records", ["DatasetId", "ScoredAt"]);
        migrationBuilder.CreateIndex("IX_forecast_records_ForecasterId", "forecast_records", "ForecasterId");
        migrationBuilder.CreateIndex("IX_forecast_records_ModelId", "forecast_records", "ModelId");

        migrationBuilder.CreateTable(
            name: "drift_rules",
            columns: table => new
            {
                ForecasterId = table.Column<Guid>(nullable: false),
                Rule = table.Column<string>(maxLength: 16, nullable: false),
                Window = table.Column<int>(nullable: false),
                Threshold = table.Column<double>(nullable: false),
                OnDrift = table.Column<string>(maxLength: 16, nullable: false),
                FiringModelId = table.Column<Guid>(nullable: true),
                UpdatedAt = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_drift_rules", x => x.ForecasterId);
                table.ForeignKey("FK_drift_rules_forecasters_ForecasterId", x => x.ForecasterId, "forecasters", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "drift_events",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ForecasterId = table.Column<Guid>(nullable: false),
                ModelId = table.Column<Guid>(nullable: false),
                Rule = table.Column<string>(maxLength: 16, nullable: false),
                Window = table.Column<int>(nullable: false),
                Threshold = table.Column<double>(nullable: false),
                Statistic = table.Column<double>(nullable: false),
                OnDrift = table.Column<string>(maxLength: 16, nullable: false),
                At = table.Column<long>(nullable: false),
                RetrainRunId = table.Column<Guid>(nullable: true),
                RetrainError = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_drift_events", x => x.Id);
                table.ForeignKey("FK_drift_events_forecasters_ForecasterId", x => x.ForecasterId, "forecasters", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_drift_events_ForecasterId", "drift_events", "ForecasterId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("drift_events");
        migrationBuilder.DropTable("drift_rules");
        migrationBuilder.DropTable("forecast_records");
    }
}
