using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class CheckpointConfiguration : IEntityTypeConfiguration<CheckpointEntity>
{
    public void Configure(EntityTypeBuilder<CheckpointEntity> builder)
    {
        builder.ToTable("checkpoints");
        builder.HasKey(c => c.JobId);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(c => c.State).IsRequired();
    }
}
