using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// Each training run and backtest records the one job-engine job allowed to execute it (see
/// <c>TrainingRunEntity.DispatchId</c>). Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261126050000_AddJobDispatchIds")]
public sealed class AddJobDispatchIds : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("DispatchId", "training_runs", nullable: true);
        migrationBuilder.AddColumn<string>("DispatchId", "backtests", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("DispatchId", "training_runs");
        migrationBuilder.DropColumn("DispatchId", "backtests");
    }
}
