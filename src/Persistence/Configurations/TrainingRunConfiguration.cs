using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class TrainingRunConfiguration() : JobRecordConfiguration<TrainingRunEntity>("training_runs")
{
    protected override void ConfigureOwn(EntityTypeBuilder<TrainingRunEntity> builder) => builder.HasIndex(r => r.ScheduleId);
}
