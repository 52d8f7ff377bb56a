using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class ForecasterConfiguration : IEntityTypeConfiguration<ForecasterEntity>
{
    public void Configure(EntityTypeBuilder<ForecasterEntity> builder)
    {
        builder.ToTable("forecasters");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Name).HasMaxLength(100).IsRequired();
        builder.HasIndex(f => f.Name).IsUnique();
        builder.HasIndex(f => f.ScheduleId);
    }
}
