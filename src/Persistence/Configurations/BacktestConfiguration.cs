using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class BacktestConfiguration : IEntityTypeConfiguration<BacktestEntity>
{
    public void Configure(EntityTypeBuilder<BacktestEntity> builder)
    {
        builder.ToTable("backtests");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Status).HasMaxLength(16).IsRequired();
        builder.Property(b => b.SpecJson).IsRequired();
        builder.HasIndex(b => b.Status);
        builder.HasIndex(b => b.DatasetId);
        builder.HasIndex(b => b.CreatedAt);
        builder.HasIndex(b => b.CreatedByKeyId);
    }
}
