using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class ModelConfiguration : IEntityTypeConfiguration<ModelEntity>
{
    public void Configure(EntityTypeBuilder<ModelEntity> builder)
    {
        builder.ToTable("models");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Kind).HasMaxLength(32).IsRequired();
        builder.Property(m => m.StateFormat).HasMaxLength(64).IsRequired();
        builder.HasIndex(m => m.TrainingRunId).IsUnique();
        builder.HasIndex(m => m.DatasetId);
        builder.HasIndex(m => m.CreatedAt);
    }
}
