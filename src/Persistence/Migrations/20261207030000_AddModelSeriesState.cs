using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// A statistical model's fits are stored per series, on its <c>model_series</c> rows, so that forecasting a few series reads
/// only theirs. Models stored before keep their whole state (their rows have none) and are read as they are. Written by
/// hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261207030000_AddModelSeriesState")]
public sealed class AddModelSeriesState : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<byte[]>("State", "model_series", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("State", "model_series");
    }
}
