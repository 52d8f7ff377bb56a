using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>The backtests table (rolling-origin backtest jobs). Written by hand, as <see cref="InitialCreate"/>.</summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261121010000_AddBacktests")]
public sealed class AddBacktests : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "backtests",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "TEXT", nullable: false),
                DatasetId = table.Column<Guid>(type: "TEXT", nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                Done = table.Column<int>(type: "INTEGER", nullable: false),
                Total = table.Column<int>(type: "INTEGER", nullable: false),
                Error = table.Column<string>(type: "TEXT", nullable: true),
                MetricsJson = table.Column<string>(type: "TEXT", nullable: true),
                ForecastsJson = table.Column<string>(type: "TEXT", nullable: true),
                Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_backtests", x => x.Id));

        migrationBuilder.CreateIndex("IX_backtests_Status", "backtests", "Status");
        migrationBuilder.CreateIndex("IX_backtests_DatasetId", "backtests", "DatasetId");
        migrationBuilder.CreateIndex("IX_backtests_CreatedAt", "backtests", "CreatedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("backtests");
}
