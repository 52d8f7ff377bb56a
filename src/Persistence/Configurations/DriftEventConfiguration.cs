using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class DriftEventConfiguration : IEntityTypeConfiguration<DriftEventEntity>
{
    public void Configure(EntityTypeBuilder<DriftEventEntity> builder)
    {
        builder.ToTable("drift_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Rule).HasMaxLength(16).HasConversion<WireNameConverter<DriftStatistic>>();
        builder.Property(e => e.OnDrift).HasMaxLength(16).HasConversion<WireNameConverter<DriftAction>>();
        builder.Property(e => e.RetrainError).HasMaxLength(2000);
        builder.HasOne<ForecasterEntity>().WithMany().HasForeignKey(e => e.ForecasterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.ForecasterId);
    }
}
