using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// Each scheduled run keeps the promotion decision made when it succeeded, so a schedule's decisions form a history.
/// Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261126040000_AddRunPromotionDecisions")]
public sealed class AddRunPromotionDecisions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("PromotionDecisionJson", "training_runs", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("PromotionDecisionJson", "training_runs");
    }
}
