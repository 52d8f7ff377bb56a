using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// Per-series outcomes of a model's training (fitted, fallback, skipped). Models trained before have none.
/// Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261206020000_AddModelSeries")]
public sealed class AddModelSeries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "model_series",
            columns: table => new
            {
                ModelId = table.Column<Guid>(nullable: false),
                SeriesId = table.Column<string>(maxLength: 200, nullable: false),
                Target = table.Column<string>(maxLength: 200, nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                Method = table.Column<string>(maxLength: 32, nullable: true),
                Reason = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_model_series", x => new { x.ModelId, x.SeriesId, x.Target });
                table.ForeignKey("FK_model_series_models_ModelId", x => x.ModelId, "models", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_model_series_ModelId_Status", "model_series", ["ModelId", "Status"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("model_series");
    }
}
