using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>The schedules table (recurring retraining) and an index on training_runs.ScheduleId. Written by hand, as <see cref="InitialCreate"/>.</summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261121020000_AddSchedules")]
public sealed class AddSchedules : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "schedules",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                Promote = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                DataEnd = table.Column<long>(type: "INTEGER", nullable: false),
                ActiveModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                LastRunId = table.Column<Guid>(type: "TEXT", nullable: true),
                LastDecisionJson = table.Column<string>(type: "TEXT", nullable: true),
                LastFiredAt = table.Column<long>(type: "INTEGER", nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_schedules", x => x.Id));

        migrationBuilder.CreateIndex("IX_schedules_CreatedAt", "schedules", "CreatedAt");
        migrationBuilder.CreateIndex("IX_training_runs_ScheduleId", "training_runs", "ScheduleId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_training_runs_ScheduleId", "training_runs");
        migrationBuilder.DropTable("schedules");
    }
}
