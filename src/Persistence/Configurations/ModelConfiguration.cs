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
        builder.Property(m => m.UpdatedThrough).HasMaxLength(64);
        // Not unique: an updated model keeps the run that fitted its parameters.
        builder.HasIndex(m => m.TrainingRunId);
        builder.HasIndex(m => m.DatasetId);
        builder.HasIndex(m => m.CreatedAt);
    }
}
