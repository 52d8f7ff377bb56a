using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class DriftRuleConfiguration : IEntityTypeConfiguration<DriftRuleEntity>
{
    public void Configure(EntityTypeBuilder<DriftRuleEntity> builder)
    {
        builder.ToTable("drift_rules");
        builder.HasKey(r => r.ForecasterId);
        builder.Property(r => r.Rule).HasMaxLength(16).HasConversion<WireNameConverter<DriftStatistic>>();
        builder.Property(r => r.OnDrift).HasMaxLength(16).HasConversion<WireNameConverter<DriftAction>>();
        builder.HasOne<ForecasterEntity>().WithOne().HasForeignKey<DriftRuleEntity>(r => r.ForecasterId).OnDelete(DeleteBehavior.Cascade);
    }
}
