using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>Observations flagged on arrival by a forecaster's model. Written by hand, as <see cref="InitialCreate"/>.</summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261207040000_AddAnomalyFlags")]
public sealed class AddAnomalyFlags : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "anomaly_flags",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ForecasterId = table.Column<Guid>(nullable: false),
                ModelId = table.Column<Guid>(nullable: false),
                DatasetId = table.Column<Guid>(nullable: false),
                Series = table.Column<string>(maxLength: 200, nullable: false),
                Target = table.Column<string>(maxLength: 200, nullable: false),
                Frequency = table.Column<string>(maxLength: 16, nullable: false),
                Timestamp = table.Column<long>(nullable: false),
                Actual = table.Column<double>(nullable: false),
                Mean = table.Column<double>(nullable: false),
                Lower = table.Column<double>(nullable: false),
                Upper = table.Column<double>(nullable: false),
                Level = table.Column<double>(nullable: false),
                Score = table.Column<double>(nullable: true),
                FlaggedAt = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_anomaly_flags", x => x.Id);
                table.ForeignKey("FK_anomaly_flags_forecasters_ForecasterId", x => x.ForecasterId, "forecasters", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_anomaly_flags_ForecasterId", "anomaly_flags", "ForecasterId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("anomaly_flags");
    }
}
