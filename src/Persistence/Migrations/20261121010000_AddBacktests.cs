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
                Id = table.Column<Guid>(nullable: false),
                DatasetId = table.Column<Guid>(nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                SpecJson = table.Column<string>(nullable: false),
                Done = table.Column<int>(nullable: false),
                Total = table.Column<int>(nullable: false),
                Error = table.Column<string>(nullable: true),
                MetricsJson = table.Column<string>(nullable: true),
                ForecastsJson = table.Column<string>(nullable: true),
                Attempts = table.Column<int>(nullable: false),
                CancelRequested = table.Column<bool>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                StartedAt = table.Column<long>(nullable: true),
                FinishedAt = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_backtests", x => x.Id));

        migrationBuilder.CreateIndex("IX_backtests_Status", "backtests", "Status");
        migrationBuilder.CreateIndex("IX_backtests_DatasetId", "backtests", "DatasetId");
        migrationBuilder.CreateIndex("IX_backtests_CreatedAt", "backtests", "CreatedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("backtests");
}
