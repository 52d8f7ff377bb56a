using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRunEntity>
{
    public void Configure(EntityTypeBuilder<TrainingRunEntity> builder)
    {
        builder.ToTable("training_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Status).HasMaxLength(16).IsRequired();
        builder.Property(r => r.SpecJson).IsRequired();
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.DatasetId);
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => r.CreatedByKeyId);
        builder.HasIndex(r => r.ScheduleId);
    }
}
