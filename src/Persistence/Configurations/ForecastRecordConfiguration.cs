using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class ForecastRecordConfiguration : IEntityTypeConfiguration<ForecastRecordEntity>
{
    public void Configure(EntityTypeBuilder<ForecastRecordEntity> builder)
    {
        builder.ToTable("forecast_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.Property(r => r.Series).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Target).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Frequency).HasMaxLength(16).IsRequired();
        builder.HasOne<ForecasterEntity>().WithMany().HasForeignKey(r => r.ForecasterId).OnDelete(DeleteBehavior.Cascade);
        // Scoring looks up a dataset's unscored records; the accuracy and CSV read a forecaster's or a model's.
        builder.HasIndex(r => new { r.DatasetId, r.ScoredAt });
        builder.HasIndex(r => r.ForecasterId);
        builder.HasIndex(r => r.ModelId);
    }
}
