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
                Id = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                ScheduleId = table.Column<Guid>(nullable: true),
                ActiveModelId = table.Column<Guid>(nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_forecasters", x => x.Id));
        migrationBuilder.CreateIndex("IX_forecasters_Name", "forecasters", "Name", unique: true);
        migrationBuilder.CreateIndex("IX_forecasters_ScheduleId", "forecasters", "ScheduleId");

        migrationBuilder.CreateTable(
            name: "forecaster_changes",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ForecasterId = table.Column<Guid>(nullable: false),
                Action = table.Column<string>(maxLength: 16, nullable: false),
                ModelId = table.Column<Guid>(nullable: true),
                PreviousModelId = table.Column<Guid>(nullable: true),
                Reason = table.Column<string>(maxLength: 2000, nullable: false),
                At = table.Column<long>(nullable: false),
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
