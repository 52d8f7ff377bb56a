using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// A series may hold known-future rows after its observations (targets empty, covariates set); their count is
/// a column, and their values follow the observed ones in the column blobs. Existing series have none.
/// Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261206010000_AddSeriesFutureLength")]
public sealed class AddSeriesFutureLength : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>("FutureLength", "series", nullable: false, defaultValue: 0);
        // The default only filled the existing rows; the model has none (SQLite cannot drop one, and its schema does not compare them).
        if (migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
            migrationBuilder.Sql("""ALTER TABLE series ALTER COLUMN "FutureLength" DROP DEFAULT;""");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("FutureLength", "series");
}
