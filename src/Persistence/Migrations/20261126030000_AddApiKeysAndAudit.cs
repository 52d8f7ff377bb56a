using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// API keys (hashes only), the append-only audit trail (triggers refuse UPDATE and DELETE), and the key that queued
/// each training run and backtest. Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261126030000_AddApiKeysAndAudit")]
public sealed class AddApiKeysAndAudit : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 200, nullable: false),
                Prefix = table.Column<string>(maxLength: 16, nullable: false),
                Hash = table.Column<byte[]>(nullable: false),
                Scopes = table.Column<string>(maxLength: 64, nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                ExpiresAt = table.Column<long>(nullable: true),
                LastUsedAt = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_api_keys", x => x.Id));
        migrationBuilder.CreateIndex("IX_api_keys_Prefix", "api_keys", "Prefix");
        migrationBuilder.CreateIndex("IX_api_keys_Hash", "api_keys", "Hash", unique: true);

        migrationBuilder.CreateTable(
            name: "audit_events",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                At = table.Column<long>(nullable: false),
                KeyId = table.Column<Guid>(nullable: true),
                Actor = table.Column<string>(maxLength: 300, nullable: false),
                Action = table.Column<string>(maxLength: 64, nullable: false),
                Resource = table.Column<string>(maxLength: 64, nullable: false),
                ResourceId = table.Column<string>(maxLength: 64, nullable: false),
                DetailsJson = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_audit_events", x => x.Id));
        migrationBuilder.CreateIndex("IX_audit_events_At", "audit_events", "At");
        migrationBuilder.CreateIndex("IX_audit_events_Resource_ResourceId", "audit_events", ["Resource", "ResourceId"]);
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;");
            migrationBuilder.Sql("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();");
        }
        else
        {
            migrationBuilder.Sql("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;");
        }

        migrationBuilder.AddColumn<Guid>("CreatedByKeyId", "training_runs", nullable: true);
        migrationBuilder.CreateIndex("IX_training_runs_CreatedByKeyId", "training_runs", "CreatedByKeyId");
        migrationBuilder.AddColumn<Guid>("CreatedByKeyId", "backtests", nullable: true);
        migrationBuilder.CreateIndex("IX_backtests_CreatedByKeyId", "backtests", "CreatedByKeyId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_backtests_CreatedByKeyId", "backtests");
        migrationBuilder.DropColumn("CreatedByKeyId", "backtests");
        migrationBuilder.DropIndex("IX_training_runs_CreatedByKeyId", "training_runs");
        migrationBuilder.DropColumn("CreatedByKeyId", "training_runs");
        migrationBuilder.DropTable("audit_events");
        if (migrationBuilder.IsNpgsql()) migrationBuilder.Sql("DROP FUNCTION audit_events_append_only();");
        migrationBuilder.DropTable("api_keys");
    }
}
