using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// The checkpoints table (the latest state of each unfinished training run or backtest, for resuming) and the
/// columns that show a job resumed: training_runs.ResumedFromEpoch, backtests.ResumedFrom. Written by hand, as
/// <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261126010000_AddCheckpoints")]
public sealed class AddCheckpoints : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "checkpoints",
            columns: table => new
            {
                JobId = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 16, nullable: false),
                Step = table.Column<int>(nullable: false),
                State = table.Column<byte[]>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_checkpoints", x => x.JobId));

        migrationBuilder.AddColumn<int>(name: "ResumedFromEpoch", table: "training_runs", nullable: true);
        migrationBuilder.AddColumn<int>(name: "ResumedFrom", table: "backtests", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "ResumedFrom", table: "backtests");
        migrationBuilder.DropColumn(name: "ResumedFromEpoch", table: "training_runs");
        migrationBuilder.DropTable("checkpoints");
    }
}
