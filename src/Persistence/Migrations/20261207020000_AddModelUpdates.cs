using Forecasting.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forecasting.Persistence.Migrations;

/// <summary>
/// Updates without refit: a model records the last observation of each series it has seen (null for models trained
/// before), and an updated model its parent and the latest observation it was brought up to. An updated model keeps
/// the training run that fitted its parameters, so a run may now have several models: its index is no longer unique.
/// Written by hand, as <see cref="InitialCreate"/>.
/// </summary>
[DbContext(typeof(ForecastingDbContext))]
[Migration("20261207020000_AddModelUpdates")]
public sealed class AddModelUpdates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("DataEndsJson", "models", nullable: true);
        migrationBuilder.AddColumn<Guid>("ParentModelId", "models", nullable: true);
        migrationBuilder.AddColumn<string>("UpdatedThrough", "models", maxLength: 64, nullable: true);
        migrationBuilder.DropIndex("IX_models_TrainingRunId", "models");
        migrationBuilder.CreateIndex("IX_models_TrainingRunId", "models", "TrainingRunId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_models_TrainingRunId", "models");
        migrationBuilder.CreateIndex("IX_models_TrainingRunId", "models", "TrainingRunId", unique: true);
        migrationBuilder.DropColumn("UpdatedThrough", "models");
        migrationBuilder.DropColumn("ParentModelId", "models");
        migrationBuilder.DropColumn("DataEndsJson", "models");
    }
}
