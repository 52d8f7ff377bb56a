using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class AnomalyFlagConfiguration : IEntityTypeConfiguration<AnomalyFlagEntity>
{
    public void Configure(EntityTypeBuilder<AnomalyFlagEntity> builder)
    {
        builder.ToTable("anomaly_flags");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedOnAdd();
        builder.Property(f => f.Series).HasMaxLength(200);
        builder.Property(f => f.Target).HasMaxLength(200);
        builder.Property(f => f.Frequency).HasMaxLength(16);
        builder.HasOne<ForecasterEntity>().WithMany().HasForeignKey(f => f.ForecasterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.ForecasterId);
    }
}
