using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>Forecasters (stable names serving a model) and their change history. Written by hand, as <see cref="InitialCreate"/>.</summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261126020000_AddForecasters")]
public sealed class AddForecasters : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "forecasters",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                ScheduleId = table.Column<Guid>(type: "TEXT", nullable: true),
                ActiveModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_forecasters", x => x.Id));
        migrationBuilder.CreateIndex("IX_forecasters_Name", "forecasters", "Name", unique: true);
        migrationBuilder.CreateIndex("IX_forecasters_ScheduleId", "forecasters", "ScheduleId");

        migrationBuilder.CreateTable(
            name: "forecaster_changes",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                ForecasterId = table.Column<Guid>(type: "TEXT", nullable: false),
                Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                ModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                PreviousModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                At = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_forecaster_changes", x => x.Id);
                table.ForeignKey("FK_forecaster_changes_forecasters_ForecasterId", x => x.ForecasterId, "forecasters", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_forecaster_changes_ForecasterId", "forecaster_changes", "ForecasterId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("forecaster_changes");
        migrationBuilder.DropTable("forecasters");
    }
}
