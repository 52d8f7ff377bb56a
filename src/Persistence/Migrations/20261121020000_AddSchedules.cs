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
                Id = table.Column<Guid>(nullable: false),
                Cron = table.Column<string>(maxLength: 200, nullable: false),
                TimeZone = table.Column<string>(maxLength: 100, nullable: false),
                SpecJson = table.Column<string>(nullable: false),
                Promote = table.Column<string>(maxLength: 16, nullable: false),
                DataEnd = table.Column<long>(nullable: false),
                ActiveModelId = table.Column<Guid>(nullable: true),
                LastRunId = table.Column<Guid>(nullable: true),
                LastDecisionJson = table.Column<string>(nullable: true),
                LastFiredAt = table.Column<long>(nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
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
